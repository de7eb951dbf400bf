import middy from '@middy/core';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { cognitoClient } from '#shared/adapters/aws-clients';
import { CognitoMemberPool } from '#shared/adapters/member-pool';
import { memberTokenOverrides } from '#shared/use-cases/member-token';
import { observed } from '#shared/adapters/observability';

const pool = new CognitoMemberPool(cognitoClient());

/** Cognito's pre-token-generation trigger (shared/use-cases/member-token.ts): no MFA, no privileged role. */
export const handler = middy<PreTokenGenerationTriggerEvent, PreTokenGenerationTriggerEvent>().use(observed()).handler(async (event) => {
  const overrides = await memberTokenOverrides(pool, {
    userPoolId: event.userPoolId, username: event.userName, groups: event.request.groupConfiguration.groupsToOverride ?? [],
  });
  if (overrides.groupsToOverride) {
    event.response.claimsOverrideDetails = {
      ...event.response.claimsOverrideDetails,
      groupOverrideDetails: { ...event.request.groupConfiguration, groupsToOverride: overrides.groupsToOverride },
      claimsToAddOrOverride: { ...event.response.claimsOverrideDetails?.claimsToAddOrOverride, ...overrides.claimsToAdd },
    };
  }
  return event;
});
