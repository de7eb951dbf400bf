import { Duration } from 'aws-cdk-lib';
import { ClientAttributes } from 'aws-cdk-lib/aws-cognito';

/**
 * What every app client of the members' pool shares. A member's own sign-in may change their name and phone, never
 * the custom attributes that say which team, station or device they act for (those are immutable too).
 */
export const MEMBER_WRITABLE_ATTRIBUTES = new ClientAttributes().withStandardAttributes({ fullname: true, phoneNumber: true });

/**
 * How long an ID token (the API's bearer token) lives: an hour, so a token copied off a phone is soon worthless. The
 * pages renew it with the refresh token five minutes before it expires (web/src/app/app.tsx), and revoke the refresh
 * token at sign-out.
 */
export const ID_TOKEN_VALIDITY = Duration.hours(1);
