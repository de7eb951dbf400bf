import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, Mfa, ResourceServerScope, StringAttribute, UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { DEVICE_SCOPE_DESCRIPTIONS, ID_TOKEN_VALIDITY, MEMBER_WRITABLE_ATTRIBUTES } from './identity';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { pathsOf, ROUTES, type RouteId } from '#shared/api/routes';
import { DEVICE_SCOPES, ROLES } from '#shared/contract/vocabulary';
import { DEVICE_RESOURCE_SERVER } from '#shared/domain/device-auth';
import { UPLOAD_OBJECT_PREFIX, VIEW_OBJECT_PREFIX } from '#shared/store/keys';
import { CaseWorkflow } from './case-workflow';
import { PersonWorkflow } from './person-workflow';
import { RescueFunction, type RescueFunctionProps } from './constructs/rescue-function';
import { uploadsExports } from './stateful-stack';
import { grants } from './grants';
import { NotificationDelivery } from './notification-delivery';
import { WebHosting, type WebHostingSettings } from './web-hosting';
import type { City } from './city';
import { Operations } from './operations';

/**
 * Requests per second (steady, and the burst allowed above it) on every route of the stage, and on the public routes
 * that open cases (Open311 reports: help points are kiosks, a person types a report in a minute).
 */
export const API_THROTTLE = { rate: 200, burst: 400, publicRate: 5, publicBurst: 20 };
const OPEN311_WRITES = ['POST /open311/v2/requests.json', 'POST /open311/v2/requests.xml'];
/**
 * Concurrency kept for the case workflow's steps, whatever floods the API: the alerts go out. Set to 0 (context
 * `workflowReservedConcurrency`) in an account whose Lambda concurrency limit is too low to reserve any (new
 * accounts start at 10).
 */
export const WORKFLOW_RESERVED_CONCURRENCY = 20;

/** The night's report embeds a Chinese font (shared/adapters/report-pdf.ts): a copy next to the function's code. */
const REPORT_FONT = 'NotoSansSC-Regular.ttf';
/** What some API functions need beyond the rest: files, settings, memory. */
const WITH_REPORT_FONT = {
  environment: { REPORT_FONT_FILE: `/var/task/${REPORT_FONT}` },
  props: { memorySize: 1024, timeout: Duration.seconds(20), files: { 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf': REPORT_FONT } },
};
const FUNCTION_EXTRAS: Readonly<Record<string, { environment?: Record<string, string>; props?: Partial<RescueFunctionProps> }>> = {
  'functions/api/get-daily-report.ts': WITH_REPORT_FONT,
  // The family-search notice prints as a PDF in Chinese too.
  'functions/api/people.ts': WITH_REPORT_FONT,
};

/**
 * The directory's function carries the city's outline beside its code: a station that names its districts gets
 * their boundaries as its area (shared/adapters/city-districts.ts). Locally the runtime names the repository's file.
 */
const CITY_OUTLINE = 'city-outline.geojson';
function cityOutlineExtras(city: City) {
  if (!city.config.outline) return undefined;
  return {
    environment: { CITY_OUTLINE_FILE: `/var/task/${CITY_OUTLINE}`, CITY_OUTLINE_CRS: city.config.outline.crs },
    props: { files: { [city.config.outline.file]: CITY_OUTLINE } },
  };
}

export interface StatelessStackProps extends StackProps {
  table: ITable;
  /** The stage: the uploads bucket is imported by its explicit export names (infra/stateful-stack.ts, uploadsExports). */
  stage: string;
  /** Origins allowed to call the API from a browser. */
  apiOrigins: string[];
  /** Multiplies every workflow deadline; 1 in production, smaller for a drill stage. */
  timeScale: number;
  /** The pages and their sign-in (infra/web-hosting.ts). */
  web: WebHostingSettings;
  /** Concurrency reserved for the workflows' steps (0: none); see WORKFLOW_RESERVED_CONCURRENCY. */
  workflowReservedConcurrency?: number;
}

/** Everything that can be replaced at will: identity, the API and its functions, the case workflow. */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly caseWorkflow: CaseWorkflow;
  readonly personWorkflow: PersonWorkflow;
  readonly notificationDelivery: NotificationDelivery;
  readonly operations: Operations;
  /** For grants.notificationDispatch: every function that writes notifications starts their delivery. */
  readonly notificationDeliveryArn: string;
  readonly userPool: UserPool;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // The key list cursors are sealed with (shared/store/cursor-seal.ts): generated once, resolved into the functions'
    // environment at deployment. It guards only against made-up cursors; rotating it ends the cursors in flight.
    const exportNames = uploadsExports(props.stage);
    const uploads = Bucket.fromBucketAttributes(this, 'Uploads', {
      bucketArn: Fn.importValue(exportNames.arn), bucketName: Fn.importValue(exportNames.name),
    });
    // Objects are keyed per upload under a prefix: the prefix is the narrowest resource a grant can name.
    for (const prefix of [UPLOAD_OBJECT_PREFIX, VIEW_OBJECT_PREFIX]) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${exportNames.arn}/${prefix}*]`,
        reason: `Objects are keyed per upload (${prefix}<purpose>/<uploadId>); a function may touch any upload under the prefix its job needs, no wider.`,
      });
    }
    const cursorKey = new Secret(this, 'CursorKey', {
      description: 'Seals the cursors of paged lists, so a cursor the API did not issue is refused',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'It seals list cursors, nothing else: rotating it would only end the cursors in flight; replace it by hand if it ever leaks.',
    });
    const shared = { TIME_SCALE: String(props.timeScale), CURSOR_KEY: cursorKey.secretValue.unsafeUnwrap() };

    this.userPool = new UserPool(this, 'Members', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, phone: true },
      // Who a member works for decides what they may see and do: set once by an administrator, never by the member.
      // (Immutable: a member moved to another team is a new account; the old one is disabled.)
      customAttributes: {
        teamId: new StringAttribute({ mutable: false, maxLen: 64 }),
        stationId: new StringAttribute({ mutable: false, maxLen: 64 }),
        deviceId: new StringAttribute({ mutable: false, maxLen: 64 }),
      },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      // An authenticator app's code (TOTP) on top of the password; no SMS codes (they can be redirected).
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "Cognito's SMS role (account recovery by phone) publishes to phone numbers, which have no ARN.",
    });
    // Cognito requires MFA of a whole pool or of nobody: the pool offers TOTP to all, and this trigger keeps the
    // station, coordinator and admin roles out of the token of a member who has not enrolled an authenticator.
    const memberTokens = new RescueFunction(this, 'MemberTokens', {
      entry: 'functions/identity/pre-token-generation.ts',
      description: 'Keeps privileged roles out of the tokens of members without an authenticator app',
      timeout: Duration.seconds(5),
    });
    grants.memberPoolRead(memberTokens);
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, memberTokens);
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional pool-wide so patrol phones and devices are not asked; it is required of station, coordinator and admin members by the MemberTokens trigger (no authenticator, no such role in the token).',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: "The Plus feature plan (threat protection) is priced per member; a bureau turns it on in the console when its policy asks for it.",
    });
    // Devices are not members: each has an app client of its own (client credentials), made by POST /v1/devices.
    for (const role of ROLES.filter((r) => r !== 'device')) {
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role });
    }
    // What a device's token may be for: the API as a resource server of the pool, a scope per kind of thing sent.
    this.userPool.addResourceServer('DeviceApi', {
      identifier: DEVICE_RESOURCE_SERVER,
      userPoolResourceServerName: 'Street rescue API for devices',
      scopes: DEVICE_SCOPES.map((scopeName) => new ResourceServerScope({ scopeName, scopeDescription: DEVICE_SCOPE_DESCRIPTIONS[scopeName] })),
    });
    const client = this.userPool.addClient('Clients', {
      authFlows: { userSrp: true },
      // A member may change their own name and phone, nothing that says whom they work for.
      writeAttributes: MEMBER_WRITABLE_ATTRIBUTES,
      idTokenValidity: ID_TOKEN_VALIDITY,
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });

    const stateMachineName = `${this.stackName}-case-workflow`;
    const workflowArn = CaseWorkflow.arnFor(this, stateMachineName);
    const steps = new RescueFunction(this, 'CaseSteps', {
      entry: 'functions/workflow/case-steps.ts',
      description: 'The steps of the case workflow: load, triage, alert, await, escalate',
      timeout: Duration.seconds(30),
      environment: shared,
      reservedConcurrency: props.workflowReservedConcurrency ?? WORKFLOW_RESERVED_CONCURRENCY,
    });
    grants.tableReadWrite(steps, props.table);
    grants.workflowRespond(steps, workflowArn);
    this.caseWorkflow = new CaseWorkflow(this, 'CaseWorkflow', { steps, stateMachineName });
    const deliveryName = `${this.stackName}-notification-delivery`;
    this.notificationDeliveryArn = CaseWorkflow.arnFor(this, deliveryName);
    grants.notificationDispatch(steps, this.notificationDeliveryArn);
    const personWorkflowName = `${this.stackName}-person-workflow`;
    const personWorkflowArn = CaseWorkflow.arnFor(this, personWorkflowName);
    const personSteps = new RescueFunction(this, 'PersonSteps', {
      entry: 'functions/workflow/person-steps.ts',
      description: "The steps of the person workflow: a person's family-search, care and follow-up deadlines",
      timeout: Duration.seconds(30),
      environment: shared,
    });
    grants.tableReadWrite(personSteps, props.table);
    grants.notificationDispatch(personSteps, this.notificationDeliveryArn);
    this.personWorkflow = new PersonWorkflow(this, 'PersonWorkflow', { steps: personSteps, stateMachineName: personWorkflowName });
    this.notificationDelivery = new NotificationDelivery(this, 'NotificationDelivery', {
      stateMachineName: deliveryName, table: props.table, environment: shared,
      // Fewer than the case steps: a message is one short call, and alerting needs the steps first.
      reservedConcurrency: Math.floor((props.workflowReservedConcurrency ?? WORKFLOW_RESERVED_CONCURRENCY) / 2),
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'Street rescue patrol API (v1)',
      corsPreflight: {
        allowOrigins: props.apiOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposeHeaders: ['location', 'idempotency-replayed'],
        maxAge: Duration.hours(1),
      },
    });
    // Every request, with who made it (the token's subject) and how it went: the HTTP API's access log. And limits on
    // how fast: a flood on one route (the public Open311 one above all) is refused at the door, 429, before any
    // function or the table is touched.
    const apiAccessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: apiAccessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId', time: '$context.requestTime', ip: '$context.identity.sourceIp',
        method: '$context.httpMethod', path: '$context.path', routeKey: '$context.routeKey', status: '$context.status',
        sub: '$context.authorizer.claims.sub', latencyMs: '$context.responseLatency', error: '$context.error.message',
      }),
    };
    stage.defaultRouteSettings = { throttlingRateLimit: API_THROTTLE.rate, throttlingBurstLimit: API_THROTTLE.burst };
    stage.routeSettings = Object.fromEntries(OPEN311_WRITES.map((routeKey) => [routeKey, { throttlingRateLimit: API_THROTTLE.publicRate, throttlingBurstLimit: API_THROTTLE.publicBurst }]));

    // The pages (and their sign-in client, whose tokens the authorizer below accepts) live in this stack: the client
    // names the distribution, the distribution the API, the authorizer the client; across stacks that is a cycle.
    this.web = new WebHosting(this, 'Web', { api: this.api, userPool: this.userPool, ...props.web });
    // ID tokens carry cognito:groups and the custom team/station attributes the handlers read.
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
    const memberClients = [client.userPoolClientId, this.web.signInClient.userPoolClientId];
    const authorizer = new HttpJwtAuthorizer('Members', issuer, { jwtAudience: memberClients });
    // The routes devices call take members' ID tokens and devices' access tokens. A device's app client is made at
    // run time, so no audience list written at deployment can name it: this function checks the token and asks the
    // directory whether the device is still in service, on every call (no cached answer: a revocation counts at once).
    const callers = new RescueFunction(this, 'Callers', {
      entry: 'functions/identity/authorize.ts',
      description: "Authorizes the routes devices call: members' ID tokens, and registered devices' client-credentials tokens",
      timeout: Duration.seconds(5),
      environment: { TOKEN_ISSUER: issuer, MEMBER_CLIENT_IDS: Fn.join(',', memberClients) },
    });
    grants.tableRead(callers, props.table);
    const deviceAuthorizer = new HttpLambdaAuthorizer('Callers', callers, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(0),
      identitySource: ['$request.header.Authorization'],
    });
    // Inviting a member puts them in the pool with their group and team or station.
    const memberInvitations = (fn: RescueFunction) => {
      directoryWrite(fn);
      grants.memberInvitations(fn, this.userPool);
    };
    // Registering a device makes its app client in the pool; its token is traded at the pool's domain.
    const deviceClients = (fn: RescueFunction) => {
      directoryWrite(fn);
      grants.deviceClients(fn, this.userPool, `${this.web.signInDomain.baseUrl()}/oauth2/token`);
    };

    // A person's file: read and logged, changed, its notice printed with the photo; changes start its workflow.
    const personFile = (fn: RescueFunction) => {
      grants.tableReadWrite(fn, props.table);
      grants.uploadsReadWrite(fn, uploads);
      grants.personWorkflowStart(fn, personWorkflowArn);
    };
    // The directory: read by coordinators; written by admins, each change with its audit entry in one transaction.
    const directoryRead = (fn: RescueFunction) => grants.tableRead(fn, props.table);
    const directoryWrite = (fn: RescueFunction) => grants.tableReadWrite(fn, props.table);
    const routeGrants: Record<RouteId, (fn: RescueFunction) => void> = {
      CreateSighting: (fn) => {
        grants.tableReadWrite(fn, props.table);
        grants.workflowStart(fn, workflowArn);
        // A sighting that corroborates an unverified lead releases its workflow's wait.
        grants.workflowRespond(fn, workflowArn);
        // A case opened alerted dispatches its alert at once (open-case.ts).
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      ListCases: (fn) => grants.tableRead(fn, props.table),
      GetStats: (fn) => grants.tableRead(fn, props.table),
      ListTeams: (fn) => grants.tableRead(fn, props.table),
      GetCase: (fn) => {
        // Every read of a case's detail is written to its access log (and the people linked to it are read).
        grants.tableReadWrite(fn, props.table);
        grants.uploadsRead(fn, uploads);
      },
      TakeCaseAction: (fn) => {
        grants.tableReadWrite(fn, props.table);
        grants.workflowRespond(fn, workflowArn);
        // An intake opens or takes in a person's file, whose deadlines start the person workflow.
        grants.personWorkflowStart(fn, personWorkflowArn);
        // Some actions tell people (takeCaseAction writes notifications with the change).
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      CreateUpload: (fn) => {
        grants.tableReadWrite(fn, props.table);
        grants.uploadsPut(fn, uploads);
      },
      GetUpload: (fn) => grants.tableRead(fn, props.table),
      OpenApi: () => undefined,
      CreateDetections: (fn) => {
        grants.tableReadWrite(fn, props.table);
        grants.workflowStart(fn, workflowArn);
        grants.workflowRespond(fn, workflowArn);
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      Open311: (fn) => {
        // A report is a sighting (reportSighting): the same grants as CreateSighting, plus its own Open311 items.
        grants.tableReadWrite(fn, props.table);
        grants.workflowStart(fn, workflowArn);
        grants.workflowRespond(fn, workflowArn);
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      ListEvents: (fn) => grants.tableRead(fn, props.table),
      CreateWeatherRecord: (fn) => grants.tableReadWrite(fn, props.table),
      GetCaseAccessLog: (fn) => grants.tableRead(fn, props.table),
      ListCaseDetections: (fn) => grants.tableRead(fn, props.table),
      RecordExport: (fn) => grants.tableReadWrite(fn, props.table),
      EraseCase: (fn) => {
        grants.tableReadWrite(fn, props.table);
        grants.uploadsDelete(fn, uploads);
      },
      CreateHotSpot: (fn) => grants.tableReadWrite(fn, props.table),
      ListHotSpots: (fn) => grants.tableRead(fn, props.table),
      ImportHotSpots: (fn) => grants.tableReadWrite(fn, props.table),
      UpdateHotSpot: (fn) => grants.tableReadWrite(fn, props.table),
      DeleteHotSpot: (fn) => grants.tableReadWrite(fn, props.table),
      CreateHotSpotCheck: (fn) => {
        // People found are a sighting (reportSighting): the same grants as CreateSighting.
        grants.tableReadWrite(fn, props.table);
        grants.workflowStart(fn, workflowArn);
        grants.workflowRespond(fn, workflowArn);
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      ListHotSpotChecks: (fn) => {
        grants.tableRead(fn, props.table);
        grants.uploadsRead(fn, uploads);
      },
      CreatePositions: (fn) => grants.tableReadWrite(fn, props.table),
      GetCoverage: (fn) => grants.tableRead(fn, props.table),
      CreateWarning: (fn) => {
        grants.tableReadWrite(fn, props.table);
        // A cold-wave warning is sent to the stations and the teams on duty.
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      ListWarnings: (fn) => grants.tableRead(fn, props.table),
      GetDailyReport: (fn) => grants.tableRead(fn, props.table),
      ListSupplies: (fn) => grants.tableRead(fn, props.table),
      CountSupplies: (fn) => {
        grants.tableReadWrite(fn, props.table);
        // A shortfall tells the station.
        grants.notificationDispatch(fn, this.notificationDeliveryArn);
      },
      CreatePerson: personFile, ListPeople: personFile, GetPerson: personFile, TakePersonAction: personFile,
      PublishFamilySearchNotice: personFile, GetFamilySearchNotice: personFile, GetPersonAccessLog: personFile,
      ListStations: directoryRead, ListHelpPoints: directoryRead, ListDirectoryChanges: directoryRead, GetTeam: directoryRead,
      CreateStation: directoryWrite, UpdateStation: directoryWrite, CreateTeam: directoryWrite, UpdateTeam: directoryWrite,
      CreateHelpPoint: directoryWrite, UpdateHelpPoint: directoryWrite, RotateHelpPointKey: directoryWrite, RevokeHelpPointKey: directoryWrite,
      ImportDirectory: directoryWrite, ListMembers: directoryRead, InviteMember: memberInvitations, DisableMember: memberInvitations,
      ListDevices: directoryRead, CreateDevice: deviceClients, UpdateDevice: deviceClients, RotateDeviceSecret: deviceClients, RevokeDevice: deviceClients,
      // New routes' grants go above this line.
    };
    // Routes naming the same entry are one function (named after the first of them), with every route's grants.
    const functions = new Map<string, { fn: RescueFunction; integration: HttpLambdaIntegration }>();
    for (const spec of ROUTES) {
      let served = functions.get(spec.entry);
      if (!served) {
        const together = ROUTES.filter((r) => r.entry === spec.entry);
        const extras = spec.entry === 'functions/api/directory.ts' ? cityOutlineExtras(props.web.city) : FUNCTION_EXTRAS[spec.entry];
        const fn = new RescueFunction(this, spec.id, {
          entry: spec.entry, environment: { ...shared, ...extras?.environment }, ...extras?.props,
          // Lambda allows 256 characters: the directory's function serves many routes.
          description: together.length === 1 ? spec.description : `Serves ${together.map((r) => r.id).join(', ')}`.slice(0, 256),
        });
        served = { fn, integration: new HttpLambdaIntegration(`${spec.id}Integration`, fn) };
        functions.set(spec.entry, served);
      }
      routeGrants[spec.id](served.fn);
      const { integration } = served;
      for (const { method, path } of pathsOf(spec)) {
        const [added] = this.api.addRoutes({
          path,
          methods: [HttpMethod[method]],
          integration,
          authorizer: (spec.access as unknown) === 'public' ? new HttpNoneAuthorizer() : 'deviceScope' in spec ? deviceAuthorizer : authorizer,
        });
        if ((spec.access as unknown) === 'public') {
          Validations.of(added!).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: 'Public by design: the OpenAPI document, and Open311 GeoReport v2, whose clients authenticate with the help point\'s api_key in the request (checked by the function, throttled at the stage).',
          });
        }
      }
    }

    const objectCreated = new RescueFunction(this, 'UploadLanded', {
      entry: 'functions/uploads/object-created.ts',
      description: 'Checks an uploaded image and attaches it to its case, or analyses a thermal frame for hot spots',
      timeout: Duration.seconds(60),
      // A 640 × 512 frame is analysed in well under 512 MB (npm run bench:thermal); the memory buys the CPU to do it fast.
      memorySize: 1024,
      environment: shared,
    });
    grants.tableReadWrite(objectCreated, props.table);
    grants.uploadsReadWrite(objectCreated, uploads);
    // A frame's hot spots are detections: they open and join cases, start workflows and send alerts.
    grants.workflowStart(objectCreated, workflowArn);
    grants.workflowRespond(objectCreated, workflowArn);
    grants.notificationDispatch(objectCreated, this.notificationDeliveryArn);
    new Rule(this, 'UploadLandedRule', {
      description: 'An object landed under uploads/ in the uploads bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [uploads.bucketName] }, object: { key: [{ prefix: UPLOAD_OBJECT_PREFIX }] } },
      },
      targets: [new LambdaFunction(objectCreated, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    const reconciler = this.scheduled('Reconciler', {
      entry: 'functions/maintenance/reconcile.ts',
      description: 'Gives every case that still needs its workflow a live execution',
      // Shorter than the schedule's period, so passes seldom overlap (an overlap is harmless, only wasted).
      timeout: Duration.minutes(4),
      environment: shared,
    }, {
      id: 'ReconcilerSchedule', description: 'Resumes case workflows that died or never started', every: Duration.minutes(5),
      // A missed pass is made good by the next one.
      retryAttempts: 0,
    });
    grants.tableReadWrite(reconciler, props.table);
    grants.workflowStart(reconciler, workflowArn);
    grants.workflowDescribe(reconciler, stateMachineName);
    grants.personWorkflowStart(reconciler, personWorkflowArn);
    grants.workflowDescribe(reconciler, personWorkflowName, 'PERSON_WORKFLOW_ARN');
    grants.notificationDispatch(reconciler, this.notificationDeliveryArn);

    const landing = this.scheduled('DeferredLanding', {
      entry: 'functions/maintenance/land-deferred.ts',
      description: 'Lands the detections a request accepted but had no time to land',
      // Shorter than the schedule's period, so passes seldom overlap (an overlap lands nothing twice).
      timeout: Duration.seconds(55),
      environment: shared,
    }, {
      id: 'DeferredLandingSchedule', description: 'Lands deferred detections within a minute of their request', every: Duration.minutes(1),
      // What a missed pass leaves waiting, the next one lands.
      retryAttempts: 0,
    });
    grants.tableReadWrite(landing, props.table);
    grants.workflowStart(landing, workflowArn);
    grants.workflowRespond(landing, workflowArn);
    grants.notificationDispatch(landing, this.notificationDeliveryArn);

    const figures = this.scheduled('StatsRoller', {
      entry: 'functions/maintenance/roll-stats.ts',
      description: 'Keeps the figures of the hours whose cases changed, for GET /v1/stats',
      // Shorter than the schedule's period; passes take a lease, so one that overlaps the next does nothing.
      timeout: Duration.seconds(55),
      environment: shared,
    }, {
      id: 'StatsRollerSchedule', description: 'Keeps the key figures current within a minute or two', every: Duration.minutes(1),
      // What a missed pass leaves, the next one counts (and readers read it from the cases meanwhile).
      retryAttempts: 0,
    });
    grants.tableReadWrite(figures, props.table);

    const reminders = this.scheduled('CoverageReminders', {
      entry: 'functions/maintenance/coverage-reminders.ts',
      description: 'Tells each station its high-priority hot spots still unchecked (23:00, 02:00) and supplies newly short',
      timeout: Duration.seconds(60),
      environment: shared,
    }, {
      id: 'CoverageRemindersSchedule', description: 'Coverage reminders at 23:00 and 02:00 (COVERAGE_REMINDER_HOURS)', every: Duration.minutes(5),
      // A reminder is written once per night and hour; a missed pass is made good by the next within the hour.
      retryAttempts: 0,
    });
    grants.tableReadWrite(reminders, props.table);
    grants.notificationDispatch(reminders, this.notificationDeliveryArn);

    const retention = this.scheduled('RetentionSweep', {
      entry: 'functions/maintenance/retention.ts',
      description: 'Erases the personal data of cases closed longer ago than the retention period',
      timeout: Duration.minutes(10),
      environment: shared,
    }, {
      id: 'RetentionSchedule', description: 'Enforces the retention of personal data, daily', every: Duration.days(1),
      // A missed day is made good by the next: the sweep takes every case past its time.
      retryAttempts: 2,
    });
    grants.tableReadWrite(retention, props.table);
    grants.uploadsDelete(retention, uploads);

    // The duty room's dashboard and the alarms an operator is called for (the README's runbook says what to do).
    this.operations = new Operations(this, 'Operations', {
      api: this.api,
      workflows: {
        CaseWorkflow: this.caseWorkflow.stateMachine, PersonWorkflow: this.personWorkflow.stateMachine,
        NotificationDelivery: this.notificationDelivery.stateMachine,
      },
    });
    new CfnOutput(this, 'OperationsTopicArn', { description: "Subscribe the operators' phones and mailboxes to the alarms here", value: this.operations.topic.topicArn });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'WebUrl', { description: 'The pages (coordinator, station, patrol) and the API on one origin', value: this.web.url });
    new CfnOutput(this, 'WebBucketName', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'AuthDomain', { description: 'Cognito managed sign-in', value: this.web.signInDomain.baseUrl() });
    new CfnOutput(this, 'CaseWorkflowArn', { value: this.caseWorkflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NotificationTopicArn', {
      description: 'Subscribe phones and mailboxes here, filtered on the recipient attribute (e.g. "team:team-02")',
      value: this.notificationDelivery.topic.topicArn,
    });
  }

  /** A function an EventBridge rule runs on a schedule (maintenance sweeps). */
  private scheduled(
    id: string, props: RescueFunctionProps,
    rule: { id: string; description: string; every: Duration; retryAttempts: number },
  ): RescueFunction {
    const fn = new RescueFunction(this, id, props);
    new Rule(this, rule.id, {
      description: rule.description,
      schedule: Schedule.rate(rule.every),
      targets: [new LambdaFunction(fn, { retryAttempts: rule.retryAttempts })],
    });
    return fn;
  }
}
