import { FieldValidationException } from '@app/platform';
import { DispatchConfig } from '../dispatch.config';

/** The part of a dispatch node's configuration that says which districts it serves. */
export type NodeDistricts = Pick<DispatchConfig, 'SERVE_DISTRICTS' | 'CITY_CODE'>;

/**
 * Whether this node serves the district: takes its orders (`OrderSteps.serves`) and administers its
 * organisation and routing rules. Every district (the city tier included) on the city's node, whose
 * SERVE_DISTRICTS is empty; on a district node only the codes in SERVE_DISTRICTS. A district node also holds the city tier (units with
 * CITY_CODE: the city centre, the city utilities), which its rules may point to, but it gets that
 * from its seed and does not administer it: the city tier is administered on the city's node.
 */
export function servesDistrict(config: NodeDistricts, districtCode: string): boolean {
  return config.SERVE_DISTRICTS.length === 0 || config.SERVE_DISTRICTS.includes(districtCode);
}

/**
 * Refuses (400, field `districtCode`) to create or change a unit or routing rule of a district the
 * node does not serve, so a district node's database never grows another district's data.
 */
export function assertServed(config: NodeDistricts, districtCode: string): void {
  if (servesDistrict(config, districtCode)) return;
  const served = config.SERVE_DISTRICTS.join(', ');
  const reason =
    districtCode === config.CITY_CODE
      ? `市级（${districtCode}）单位和派单规则由市级派单节点维护，本节点只服务 ${served} ` +
        `the city tier (${districtCode}) is administered on the city's dispatch node; this node serves ${served} only and gets the city's units from its seed`
      : `本派单节点只服务 ${served}，不能维护 ${districtCode} 的数据 this dispatch node serves ${served} only, not ${districtCode}`;
  throw new FieldValidationException([{ field: 'districtCode', reason }]);
}
