import { FieldValidationException } from '@app/platform';
import { assertServed, NodeDistricts, servesDistrict } from './served-districts';

const cityNode: NodeDistricts = { SERVE_DISTRICTS: [], CITY_CODE: '630100' };
const chengxiNode: NodeDistricts = { SERVE_DISTRICTS: ['630104'], CITY_CODE: '630100' };

/** The field errors of the 400 that assertServed throws. */
function refusal(config: NodeDistricts, code: string): { field: string; reason: string }[] {
  try {
    assertServed(config, code);
  } catch (e) {
    expect(e).toBeInstanceOf(FieldValidationException);
    return ((e as FieldValidationException).getResponse() as { errors: { field: string; reason: string }[] }).errors;
  }
  throw new Error(`${code} was not refused`);
}

describe('served districts', () => {
  it('the city node (SERVE_DISTRICTS empty) administers every district and the city tier', () => {
    for (const code of ['630100', '630104', '630105']) {
      expect(servesDistrict(cityNode, code)).toBe(true);
      expect(() => assertServed(cityNode, code)).not.toThrow();
    }
  });

  it('a district node administers its own districts only', () => {
    expect(servesDistrict(chengxiNode, '630104')).toBe(true);
    expect(() => assertServed(chengxiNode, '630104')).not.toThrow();
    expect(servesDistrict(chengxiNode, '630105')).toBe(false);
    expect(servesDistrict(chengxiNode, '630100')).toBe(false);
  });

  it('refuses another district: 400 on districtCode, zh-CN first', () => {
    const [e, ...more] = refusal(chengxiNode, '630105');
    expect(more).toEqual([]);
    expect(e.field).toBe('districtCode');
    expect(e.reason).toMatch(/^本派单节点只服务 630104.* this dispatch node serves 630104 only, not 630105$/);
  });

  it("refuses the city tier on a district node: the city's node administers it", () => {
    const [e] = refusal(chengxiNode, '630100');
    expect(e.field).toBe('districtCode');
    expect(e.reason).toMatch(
      /^市级（630100）.*the city tier \(630100\) is administered on the city's dispatch node; this node serves 630104 only/,
    );
  });
});
