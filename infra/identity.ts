import { Duration } from 'aws-cdk-lib';
import { ClientAttributes } from 'aws-cdk-lib/aws-cognito';
import type { DeviceScope } from '#shared/contract/vocabulary';

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

/** What each scope of the API's resource server lets a device send. */
export const DEVICE_SCOPE_DESCRIPTIONS: Record<DeviceScope, string> = {
  'detections:write': 'Send detections (POST /v1/detections)',
  'uploads:write': 'Send thermal frames and photos (POST /v1/uploads)',
  'warnings:write': 'Send weather warnings as CAP (POST /v1/warnings)',
  'weather:write': 'Send air temperature readings (POST /v1/weather)',
};
