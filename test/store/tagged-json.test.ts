import { fromTaggedJson, toTaggedJson } from '../../src/store/tagged-json';

describe('tagged JSON', () => {
  it('gives back dates, non-finite numbers and nesting exactly', () => {
    const value = {
      at: new Date('2026-12-08T03:04:05.678Z'),
      speed: Infinity,
      below: -Infinity,
      list: [new Date(0), 1, 'two', null, { deep: [new Date('2026-01-01T00:00:00.000Z')] }],
      place: { city: 'Lyon', latitude: 45.76, nothing: null },
    };
    const back = fromTaggedJson(toTaggedJson(value));
    expect(back).toEqual(value);
    expect((back as { at: Date }).at).toBeInstanceOf(Date);
  });

  it('writes equal objects as equal text whatever order their keys were set in', () => {
    const a = { b: 1, a: { y: 2, x: new Date(5) } };
    const b = { a: { x: new Date(5), y: 2 }, b: 1 };
    expect(toTaggedJson(a)).toBe(toTaggedJson(b));
    expect(toTaggedJson(a)).toBe('{"a":{"x":{"$date":"1970-01-01T00:00:00.005Z"},"y":2},"b":1}');
  });

  it('leaves undefined properties out and writes undefined in an array as null, as JSON does', () => {
    expect(toTaggedJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('refuses a stored date that is not ISO-8601 instead of giving back an Invalid Date', () => {
    expect(() => fromTaggedJson('{"at":{"$date":"yesterday"}}')).toThrow(/not ISO-8601: yesterday/);
  });

  it('keeps an object with a "$date" beside other keys as it is (only a lone tag is a tag)', () => {
    expect(fromTaggedJson('{"v":{"$date":"2026-01-01T00:00:00.000Z","other":1}}')).toEqual({ v: { $date: '2026-01-01T00:00:00.000Z', other: 1 } });
  });

  it('keeps a "__proto__" key of the text an own property, never the prototype', () => {
    const back = fromTaggedJson('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
  });
});
