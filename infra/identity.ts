import { Duration } from 'aws-cdk-lib';
import { ClientAttributes } from 'aws-cdk-lib/aws-cognito';

/**
 * What every app client of the members' pool shares. A member's own sign-in may change their name and phone, never
 * the custom attributes that say which team, station or device they act for (those are immutable too).
 */
export const MEMBER_WRITABLE_ATTRIBUTES = new ClientAttributes().withStandardAttributes({ fullname: true, phoneNumber: true });

/**
 * How long an ID token (the API's bearer token) lives. The access issue asks for at most an hour; that waits until
 * the pages renew their tokens with the refresh token before they expire (today a wall would be signed out hourly).
 */
export const ID_TOKEN_VALIDITY = Duration.hours(12);
