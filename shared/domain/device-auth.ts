import type { DeviceScope } from '../contract/vocabulary';

/** The API as a resource server of the members' user pool: a device's token holds scopes `<identifier>/<scope>`. */
export const DEVICE_RESOURCE_SERVER = 'street-rescue';
/** How long a device's access token lives: an hour, and the authorizer checks the device on every call besides. */
export const DEVICE_TOKEN_MINUTES = 60;
export const qualifiedScope = (scope: DeviceScope) => `${DEVICE_RESOURCE_SERVER}/${scope}`;
