/**
 * The city's gazetteer as intake needs it to place an address: districts and their streets and
 * townships with the names and short forms people use. A small copy of the organisation's table
 * (dispatch owns the organisation; apps never import each other). Codes are GB/T 2260 for districts;
 * the nine-digit township codes match the demo organisation.
 */
export interface Place {
  code: string;
  name: string;
  /** Other ways to write it, and address keywords (road names) that lie inside it. */
  aliases: string[];
}

export interface DistrictPlace extends Place {
  streets: Place[];
}

const street = (code: string, name: string, ...aliases: string[]): Place => ({
  code,
  name,
  aliases: [name.replace(/(街道|镇)$/, ''), ...aliases].filter((a) => a.length >= 2),
});

export const GAZETTEER: DistrictPlace[] = [
  {
    code: '630102',
    name: '城东区',
    aliases: ['城东'],
    streets: [
      street('630102001', '东关大街街道'),
      street('630102002', '清真巷街道'),
      street('630102003', '大众街街道'),
      street('630102004', '周家泉街道'),
      street('630102005', '火车站街道'),
      street('630102006', '八一路街道', '八一西路', '八一中路'),
      street('630102007', '林家崖街道'),
      street('630102100', '韵家口镇'),
    ],
  },
  {
    code: '630103',
    name: '城中区',
    aliases: ['城中'],
    streets: [
      street('630103001', '人民街街道'),
      street('630103002', '南滩街道'),
      street('630103003', '仓门街街道'),
      street('630103004', '礼让街街道'),
      street('630103005', '饮马街街道'),
      street('630103006', '南川东路街道'),
      street('630103007', '南川西路街道'),
      street('630103100', '总寨镇'),
    ],
  },
  {
    code: '630104',
    name: '城西区',
    aliases: ['城西'],
    streets: [
      street('630104001', '西关大街街道'),
      street('630104002', '古城台街道'),
      street('630104003', '虎台街道'),
      street('630104004', '胜利路街道'),
      street('630104005', '兴海路街道'),
      street('630104006', '文汇路街道'),
      street('630104007', '通海路街道'),
      street('630104100', '彭家寨镇'),
    ],
  },
  {
    code: '630105',
    name: '城北区',
    aliases: ['城北'],
    streets: [
      street('630105001', '朝阳街道'),
      street('630105002', '小桥大街街道'),
      street('630105003', '马坊街道'),
      street('630105004', '火车西站街道'),
      street('630105100', '大堡子镇'),
      street('630105101', '二十里铺镇'),
    ],
  },
  {
    code: '630106',
    name: '湟中区',
    aliases: ['湟中'],
    streets: [street('630106100', '鲁沙尔镇', '塔尔寺'), street('630106101', '多巴镇'), street('630106102', '上新庄镇')],
  },
  {
    code: '630121',
    name: '大通回族土族自治县',
    aliases: ['大通县', '大通'],
    streets: [street('630121100', '桥头镇'), street('630121101', '长宁镇'), street('630121102', '塔尔镇')],
  },
  {
    code: '630123',
    name: '湟源县',
    aliases: ['湟源'],
    streets: [street('630123100', '城关镇'), street('630123101', '大华镇')],
  },
];

const PLACE_NAMES = new Map<string, string>(
  GAZETTEER.flatMap((d) => [[d.code, d.name] as const, ...d.streets.map((s) => [s.code, `${d.name}${s.name}`] as const)]),
);

/** The place at street level as people read it (`城西区胜利路街道`), or the district's name; null when unknown. */
export function placeNameOf(districtCode: string, streetCode: string | null): string | null {
  return (streetCode ? PLACE_NAMES.get(streetCode) : undefined) ?? PLACE_NAMES.get(districtCode) ?? null;
}
