import { describe, expect, it } from 'vitest';
import { betterPlace, nameNear } from '#shared/domain/place-name';

const landmarks = [
  { name: '八一大桥东引桥', location: { lat: 28.6809, lon: 115.8735 }, district: '东湖区' },
  { name: '南昌站西广场', location: { lat: 28.6628, lon: 115.9128 } },
];
const north = (metres: number, from = landmarks[0]!.location) => ({ lat: from.lat + metres / 111_320, lon: from.lon });

describe('the best place of a case', () => {
  const deviceLead = { placeType: 'other' as const, placeTypeSource: 'detection' as const, sightingCount: 0 };

  it("takes a person's place type over a machine's, and a reported name over none or a nearby one", () => {
    expect(betterPlace(deviceLead, { kind: 'sighting', placeType: 'bridge', placeName: '朝阳大桥东引桥下' }))
      .toEqual({ placeType: 'bridge', placeTypeSource: 'sighting', placeName: '朝阳大桥东引桥下', placeNameSource: 'report' });
    expect(betterPlace({ ...deviceLead, placeName: '东湖区 · 八一大桥东引桥附近', placeNameSource: 'nearby' }, { kind: 'sighting', placeType: 'other', placeName: '桥下' }))
      .toEqual({ placeName: '桥下', placeNameSource: 'report' });
  });

  it("keeps the first report's name and type, and ignores what a machine or an 'other' says", () => {
    const reported = { placeType: 'bridge' as const, placeTypeSource: 'sighting' as const, placeName: '朝阳大桥东引桥下', placeNameSource: 'report' as const, sightingCount: 1 };
    expect(betterPlace(reported, { kind: 'sighting', placeType: 'street', placeName: '桥边' })).toEqual({});
    expect(betterPlace(deviceLead, { kind: 'detection', placeType: 'other' })).toEqual({});
    expect(betterPlace(deviceLead, { kind: 'sighting', placeType: 'other' })).toEqual({});
  });

  it('treats a case stored before the sources were kept by whether a person reported it', () => {
    expect(betterPlace({ placeType: 'street', sightingCount: 1 }, { kind: 'sighting', placeType: 'bridge' })).toEqual({});
    expect(betterPlace({ placeType: 'other', sightingCount: 1 }, { kind: 'sighting', placeType: 'bridge' })).toMatchObject({ placeType: 'bridge' });
  });
});

describe('a name from the nearest known place', () => {
  it('is "<district> · <place>附近" within 250 m, by distance out to 1.5 km, nothing beyond', () => {
    expect(nameNear(north(40), landmarks)).toBe('东湖区 · 八一大桥东引桥附近');
    expect(nameNear(north(640), landmarks)).toBe('东湖区 · 距八一大桥东引桥约600米');
    expect(nameNear(north(120, landmarks[1]!.location), landmarks)).toBe('南昌站西广场附近');
    expect(nameNear(north(2_000), landmarks)).toBeUndefined();
    expect(nameNear(north(10), [])).toBeUndefined();
  });
});
