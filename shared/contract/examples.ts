/**
 * The example bodies of the external contract (../shared/api-contract.md), in one place: the OpenAPI document shows
 * them, and the tests check the schemas accept them as written.
 */
export const CONTRACT_SIGHTING_EXAMPLE = {
  observedAt: '2026-01-12T22:41:00+08:00',
  location: { lat: 28.6829, lon: 115.8579, accuracyM: 12 },
  place: { type: 'bridge', name: '八一大桥 north ramp' },
  people: [{ ageGroup: 'elderly', sex: 'male', conditions: ['inadequate_clothing', 'ill'] }],
  note: 'sleeping under the ramp, responsive',
  teamId: 'team-07',
} as const;
