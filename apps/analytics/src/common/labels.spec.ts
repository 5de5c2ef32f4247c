import 'reflect-metadata';
import { categoryZh } from './labels';

describe('categoryZh', () => {
  const maintained = new Map([
    ['noise', { zh: '噪声污染', en: 'Noise pollution' }], // a seeded category renamed by an administrator
    ['lift.noise', { zh: '电梯噪声', en: 'Lift noise' }], // a category an administrator added under a seeded one
  ]);

  it("names a category by the administrator's name before the catalogue's", () => {
    expect(categoryZh('noise', maintained)).toBe('噪声污染');
    expect(categoryZh('lift.noise', maintained)).toBe('电梯噪声');
    // a child the catalogue lists keeps its own name; an unlisted one takes the renamed parent's
    expect(categoryZh('noise.construction', maintained)).toBe('施工噪音');
    expect(categoryZh('noise.pets', maintained)).toBe('噪声污染');
  });

  it("falls back to the catalogue's name, the code as it is, or 未知", () => {
    expect(categoryZh('lift.noise', new Map())).toBe('电梯');
    expect(categoryZh('lift', maintained)).toBe('电梯');
    expect(categoryZh('nothing_known', maintained)).toBe('nothing_known');
    expect(categoryZh('', maintained)).toBe('未知');
    expect(categoryZh(null, maintained)).toBe('未知');
  });
});
