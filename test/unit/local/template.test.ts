import { describe, expect, it } from 'vitest';
import { matchesPattern } from '#local/runtime/s3-event-router';
import { LOCAL_ACCOUNT, LOCAL_REGION, TemplateResolver } from '#local/template/intrinsics';
import type { StackTemplate } from '#local/template/synthesize';

/** A stateful stack that exports its table, and a stateless stack that imports it: the shape the CDK app has. */
const stateful: StackTemplate = {
  stackName: 'Stateful',
  template: {
    Resources: {
      CasesTable: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
      NamedTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'rescue-cases' } },
      UploadsBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    },
    Outputs: {
      TableNameOut: { Value: { Ref: 'CasesTable' }, Export: { Name: 'Stateful:TableName' } },
      TableArnOut: { Value: { 'Fn::GetAtt': ['CasesTable', 'Arn'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:TableArn' } } },
      BucketOut: { Value: { Ref: 'UploadsBucket' } },
    },
  },
};

const stateless: StackTemplate = {
  stackName: 'Stateless',
  template: {
    Resources: {
      ApiFunction: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
      NamedFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'rescue-api' } },
      CaseWorkflow: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    },
  },
};

const resolver = new TemplateResolver([stateful, stateless]);
const inStateful = (value: unknown) => resolver.resolve(stateful, value);
const inStateless = (value: unknown) => resolver.resolve(stateless, value);

describe('TemplateResolver', () => {
  it('passes plain values through and resolves inside objects and arrays', () => {
    expect(inStateless({ a: 1, b: ['x', { c: null }], d: true })).toEqual({ a: 1, b: ['x', { c: null }], d: true });
    expect(inStateful({ Variables: { TABLE_NAME: { Ref: 'CasesTable' }, LIST: [{ Ref: 'NamedTable' }] } })).toEqual({
      Variables: { TABLE_NAME: 'Stateful-CasesTable', LIST: ['rescue-cases'] },
    });
  });

  describe('Ref', () => {
    it('gives a table its deterministic name, or the name the template sets', () => {
      expect(inStateful({ Ref: 'CasesTable' })).toBe('Stateful-CasesTable');
      expect(inStateful({ Ref: 'NamedTable' })).toBe('rescue-cases');
    });

    it('gives a bucket a valid S3 bucket name (lower case)', () => {
      const name = inStateful({ Ref: 'UploadsBucket' });
      expect(name).toBe('stateful-uploadsbucket');
      expect(String(name)).toMatch(/^[a-z0-9.-]{3,63}$/);
    });

    it('gives a function its name and a state machine its ARN, as CloudFormation does', () => {
      expect(inStateless({ Ref: 'ApiFunction' })).toBe('Stateless-ApiFunction');
      expect(inStateless({ Ref: 'NamedFunction' })).toBe('rescue-api');
      expect(inStateless({ Ref: 'CaseWorkflow' })).toBe(`arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:Stateless-CaseWorkflow`);
    });

    it('knows the pseudo parameters', () => {
      expect(inStateless({ Ref: 'AWS::Region' })).toBe(LOCAL_REGION);
      expect(inStateless({ Ref: 'AWS::AccountId' })).toBe(LOCAL_ACCOUNT);
      expect(inStateless({ Ref: 'AWS::Partition' })).toBe('aws');
      expect(inStateless({ Ref: 'AWS::StackName' })).toBe('Stateless');
      expect(inStateless({ Ref: 'AWS::NoValue' })).toBeUndefined();
    });

    it('throws for a resource the stack does not have', () => {
      expect(() => inStateless({ Ref: 'CasesTable' })).toThrow(/Stateless has no resource 'CasesTable'/);
    });
  });

  describe('Fn::GetAtt Arn', () => {
    it.each([
      ['table', stateful, 'CasesTable', `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/Stateful-CasesTable`],
      ['named table', stateful, 'NamedTable', `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/rescue-cases`],
      ['bucket', stateful, 'UploadsBucket', 'arn:aws:s3:::stateful-uploadsbucket'],
      ['function', stateless, 'ApiFunction', `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:Stateless-ApiFunction`],
      ['state machine', stateless, 'CaseWorkflow', `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:Stateless-CaseWorkflow`],
    ] as const)('of a %s', (_kind, stack, logicalId, arn) => {
      expect(resolver.resolve(stack, { 'Fn::GetAtt': [logicalId, 'Arn'] })).toBe(arn);
      // The short form "Id.Arn" means the same.
      expect(resolver.resolve(stack, { 'Fn::GetAtt': `${logicalId}.Arn` })).toBe(arn);
      expect(resolver.arn(stack, logicalId)).toBe(arn);
    });

    it('gives a state machine its name for Name', () => {
      expect(inStateless({ 'Fn::GetAtt': ['CaseWorkflow', 'Name'] })).toBe('Stateless-CaseWorkflow');
    });
  });

  it('joins with Fn::Join, resolving the parts', () => {
    expect(inStateful({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'UploadsBucket' }, '/*']] }))
      .toBe('arn:aws:s3:::stateful-uploadsbucket/*');
    expect(inStateful({ 'Fn::Join': ['/', ['a', { Ref: 'NamedTable' }, 'b']] })).toBe('a/rescue-cases/b');
  });

  describe('Fn::Sub', () => {
    it('substitutes pseudo parameters and resource names', () => {
      expect(inStateful({ 'Fn::Sub': 'https://dynamodb.${AWS::Region}.${AWS::URLSuffix}/${CasesTable}' }))
        .toBe(`https://dynamodb.${LOCAL_REGION}.amazonaws.com/Stateful-CasesTable`);
    });

    it('substitutes ${X.Arn}', () => {
      expect(inStateless({ 'Fn::Sub': '${ApiFunction.Arn}:live' }))
        .toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:Stateless-ApiFunction:live`);
      expect(inStateless({ 'Fn::Sub': '{"Resource":"${CaseWorkflow.Arn}"}' }))
        .toBe(`{"Resource":"arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:Stateless-CaseWorkflow"}`);
    });

    it('substitutes the variables it is given, resolved, ahead of resources', () => {
      expect(inStateless({ 'Fn::Sub': ['${Fn}|${ApiFunction}|${AWS::AccountId}', { Fn: { 'Fn::GetAtt': ['NamedFunction', 'Arn'] }, ApiFunction: 'overridden' }] }))
        .toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:rescue-api|overridden|${LOCAL_ACCOUNT}`);
    });
  });

  describe('Fn::ImportValue', () => {
    it('reads a value another stack exports, resolved in the exporting stack', () => {
      expect(inStateless({ 'Fn::ImportValue': 'Stateful:TableName' })).toBe('Stateful-CasesTable');
    });

    it('finds an export whose name is itself computed', () => {
      expect(inStateless({ 'Fn::ImportValue': { 'Fn::Sub': 'Stateful:TableArn' } }))
        .toBe(`arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/Stateful-CasesTable`);
    });

    it('throws for a name that no stack exports', () => {
      expect(() => inStateless({ 'Fn::ImportValue': 'Stateful:Nothing' })).toThrow(/no stack exports/);
    });
  });

  it('selects and splits', () => {
    expect(inStateful({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
  });

  it('throws for an intrinsic it does not support', () => {
    expect(() => inStateless({ 'Fn::FindInMap': ['Map', 'Key', 'Value'] })).toThrow(/Fn::FindInMap/);
    expect(() => inStateless({ Environment: { Variables: { X: { 'Fn::Base64': 'abc' } } } })).toThrow(/Fn::Base64/);
  });
});

describe('matchesPattern', () => {
  const event = {
    source: 'aws.s3',
    'detail-type': 'Object Created',
    resources: ['arn:aws:s3:::stateful-uploadsbucket'],
    detail: { bucket: { name: 'stateful-uploadsbucket' }, object: { key: 'uploads/thermal_frame/drone-03/f1.jpg', size: 1024 } },
  };

  it('matches exact values listed in arrays', () => {
    expect(matchesPattern({ source: ['aws.s3'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2', 'aws.s3'], 'detail-type': ['Object Created'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'] }, event)).toBe(false);
    expect(matchesPattern({ 'detail-type': ['Object Deleted'] }, event)).toBe(false);
  });

  it('matches nested objects, every field of them', () => {
    expect(matchesPattern({ detail: { bucket: { name: ['stateful-uploadsbucket'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { bucket: { name: ['other-bucket'] } } }, event)).toBe(false);
    expect(matchesPattern({ source: ['aws.s3'], detail: { bucket: { name: ['other-bucket'] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { size: [1024] } } }, event)).toBe(true);
  });

  it('matches a prefix', () => {
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'uploads/thermal_frame/' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'uploads/case_photo/' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'uploads/case_photo/' }, { prefix: 'uploads/thermal' }] } } }, event)).toBe(true);
  });

  it('matches a suffix and field existence', () => {
    expect(matchesPattern({ detail: { object: { key: [{ suffix: '.jpg' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ suffix: '.png' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { etag: [{ exists: false }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { etag: [{ exists: true }] } } }, event)).toBe(false);
  });

  it('does not match a nested pattern against a missing or scalar field', () => {
    expect(matchesPattern({ detail: { requester: { id: ['x'] } } }, event)).toBe(false);
    expect(matchesPattern({ source: { name: ['aws.s3'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'uploads/' }] } } }, { source: 'aws.s3' })).toBe(false);
  });

  it('an empty pattern matches any event', () => {
    expect(matchesPattern({}, event)).toBe(true);
  });
});

describe('matchesPattern on array fields of the event', () => {
  it('matches when any element of an array field is listed, as EventBridge does (e.g. resources)', () => {
    const event = { source: 'aws.s3', resources: ['arn:aws:s3:::stateful-uploadsbucket'] };
    expect(matchesPattern({ resources: ['arn:aws:s3:::stateful-uploadsbucket'] }, event)).toBe(true);
    expect(matchesPattern({ resources: ['arn:aws:s3:::other'] }, event)).toBe(false);
  });
});
