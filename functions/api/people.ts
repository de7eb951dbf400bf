import { noticePdf } from '#shared/adapters/notice-pdf';
import { CreatePersonRequest, ListPeopleQuery, PersonAction, PersonParams } from '#shared/contract/people';
import { AccessLogQuery } from '#shared/contract/schemas';
import { apiHandler, apiRoutes } from '#shared/http/api-handler';
import { notifier, personWorkflow, tableDependencies, uploadBucket } from '#shared/use-cases/dependencies';
import { idempotentCreate, idFromKey } from '#shared/use-cases/idempotent';
import {
  createPerson, fileView, listPeople, noticePhoto, personAccessLog, publishNotice, readNotice, readPerson, takePersonAction,
} from '#shared/use-cases/people';

const deps = { ...tableDependencies(), ...uploadBucket(), ...personWorkflow(), ...notifier() };

export const handler = apiRoutes({
  CreatePerson: apiHandler('CreatePerson', { body: CreatePersonRequest }, async ({ body, principal, actor, idempotency }) => {
    const result = await idempotentCreate(deps, idempotency, async () => {
      const file = await createPerson(deps, { request: body, principal, actor, personId: idFromKey('per', idempotency) });
      return { statusCode: 201, body: fileView(file, deps.now()) };
    });
    return {
      statusCode: result.statusCode, body: result.body,
      headers: { location: `/v1/people/${result.body.personId}`, ...(result.replayed ? { 'idempotency-replayed': 'true' } : {}) },
    };
  }),
  ListPeople: apiHandler('ListPeople', { query: ListPeopleQuery }, async ({ query, principal }) => ({
    statusCode: 200, body: await listPeople(deps, principal, query),
  })),
  GetPerson: apiHandler('GetPerson', { params: PersonParams }, async ({ params, principal }) => ({
    statusCode: 200, body: await readPerson(deps, principal, params.personId),
  })),
  TakePersonAction: apiHandler('TakePersonAction', { params: PersonParams, body: PersonAction }, async ({ params, body, principal, actor }) => ({
    statusCode: 200, body: await takePersonAction(deps, { personId: params.personId, action: body, principal, actor }),
  })),
  PublishFamilySearchNotice: apiHandler('PublishFamilySearchNotice', { params: PersonParams }, async ({ params, principal, actor }) => ({
    statusCode: 200, body: await publishNotice(deps, principal, actor, params.personId),
  })),
  GetFamilySearchNotice: apiHandler('GetFamilySearchNotice', { params: PersonParams }, async ({ params, principal, event }) => {
    const { file, notice } = await readNotice(deps, principal, params.personId);
    if (!(event.headers.accept ?? '').toLowerCase().includes('application/pdf')) return { statusCode: 200, body: notice };
    const bytes = await noticePhoto(deps, file, notice);
    const photo = file.photos.find((p) => p.uploadId === notice.photo?.uploadId);
    const pdf = await noticePdf(notice, bytes && photo ? { bytes, contentType: photo.contentType } : undefined);
    return {
      statusCode: 200, raw: 'base64', body: Buffer.from(pdf).toString('base64'),
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="family-search-${file.number}.pdf"` },
    };
  }),
  GetPersonAccessLog: apiHandler('GetPersonAccessLog', { params: PersonParams, query: AccessLogQuery }, async ({ params, query, principal }) => ({
    statusCode: 200, body: await personAccessLog(deps, principal, params.personId, query),
  })),
});
