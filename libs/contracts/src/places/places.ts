/**
 * The city's place list (区划): districts → streets and townships (街道/乡镇) → communities and
 * villages (社区/村), with the Chinese names, the short forms and road keywords people use when
 * they say where something is, and English names. One list for the whole platform: intake places
 * addresses with it and serves it to the console's pickers (GET /places), the demo organisation
 * seeds its street and community units from it.
 *
 * Codes follow the national statistical division scheme: district 6 digits (GB/T 2260), street or
 * township 9 (+3), community or village 12 (+3). District codes are the real GB/T 2260 codes of
 * Xining; the street and community codes and most community names are ILLUSTRATIVE, made up for the
 * demo in the official style — they are not the published statistical codes. A real deployment
 * replaces this file with the city's own list (a few thousand rows).
 */
export type StreetKind = 'street' | 'township';
export type CommunityKind = 'community' | 'village';

export interface PlaceEntry {
  code: string;
  nameZh: string;
  nameEn: string;
  /**
   * Other ways to write it, and address keywords (roads, lanes, landmarks) that lie inside it and in
   * no sibling: the resolver places an address that names one of them here.
   */
  aliases: string[];
}

export interface CommunityPlace extends PlaceEntry {
  kind: CommunityKind;
}

export interface StreetPlace extends PlaceEntry {
  kind: StreetKind;
  communities: CommunityPlace[];
}

export interface DistrictPlace extends PlaceEntry {
  streets: StreetPlace[];
}

export const CITY_PLACE = { code: '630100', nameZh: '西宁市', nameEn: 'Xining' } as const;

type CommunityRow = [suffix: string, zh: string, en: string, ...aliases: string[]];

const shortOf = (name: string, suffix: RegExp) => {
  const s = name.replace(suffix, '');
  return s.length >= 2 && s !== name ? [s] : [];
};

function street(
  district: string,
  suffix: string,
  nameZh: string,
  nameEn: string,
  aliases: string[] = [],
  communities: CommunityRow[] = [],
): StreetPlace {
  const code = `${district}${suffix}`;
  return {
    code,
    nameZh,
    nameEn,
    kind: suffix.startsWith('1') ? 'township' : 'street',
    aliases: [...shortOf(nameZh, /(街道|镇|乡)$/), ...aliases],
    communities: communities.map(([s, zh, en, ...more]) => ({
      code: `${code}${s}`,
      nameZh: zh,
      nameEn: en,
      kind: zh.endsWith('村') ? 'village' : 'community',
      // A community's short form is said only with its suffix (胜利路社区): the bare road name
      // (胜利路) runs through several communities and already names the street.
      aliases: more,
    })),
  };
}

export const CITY_PLACES: DistrictPlace[] = [
  {
    code: '630102',
    nameZh: '城东区',
    nameEn: 'Chengdong',
    aliases: ['城东'],
    streets: [
      street('630102', '001', '东关大街街道', 'Dongguan Street'),
      street('630102', '002', '清真巷街道', 'Qingzhenxiang'),
      street('630102', '003', '大众街街道', 'Dazhong Street'),
      street('630102', '004', '周家泉街道', 'Zhoujiaquan'),
      street('630102', '005', '火车站街道', 'Railway Station'),
      street('630102', '006', '八一路街道', 'Bayi Road', ['八一西路', '八一中路']),
      street('630102', '007', '林家崖街道', 'Linjiaya'),
      street('630102', '100', '韵家口镇', 'Yunjiakou Town'),
    ],
  },
  {
    code: '630103',
    nameZh: '城中区',
    nameEn: 'Chengzhong',
    aliases: ['城中'],
    streets: [
      street('630103', '001', '人民街街道', 'Renmin Street'),
      street('630103', '002', '南滩街道', 'Nantan'),
      street('630103', '003', '仓门街街道', 'Cangmen Street'),
      street('630103', '004', '礼让街街道', 'Lirang Street'),
      street('630103', '005', '饮马街街道', 'Yinma Street'),
      street('630103', '006', '南川东路街道', 'Nanchuan East Road'),
      street('630103', '007', '南川西路街道', 'Nanchuan West Road'),
      street('630103', '100', '总寨镇', 'Zongzhai Town'),
    ],
  },
  {
    code: '630104',
    nameZh: '城西区',
    nameEn: 'Chengxi',
    aliases: ['城西'],
    streets: [
      street(
        '630104',
        '001',
        '西关大街街道',
        'Xiguan Street',
        [],
        [
          ['001', '西关大街社区', 'Xiguan Street Community'],
          ['002', '水井巷社区', 'Shuijing Lane Community', '水井巷'],
          ['003', '昆仑路社区', 'Kunlun Road Community', '昆仑路'],
        ],
      ),
      street(
        '630104',
        '002',
        '古城台街道',
        'Guchengtai',
        [],
        [
          ['001', '古城台社区', 'Guchengtai Community'],
          ['002', '安宁路社区', 'Anning Road Community', '安宁路'],
          ['003', '新宁路社区', 'Xinning Road Community', '新宁路'],
        ],
      ),
      street(
        '630104',
        '003',
        '虎台街道',
        'Hutai',
        [],
        [
          ['001', '虎台社区', 'Hutai Community'],
          ['002', '杨家庄社区', 'Yangjiazhuang Community', '杨家庄'],
          ['003', '医学院社区', 'Medical College Community', '医学院'],
        ],
      ),
      street(
        '630104',
        '004',
        '胜利路街道',
        'Shengli Road',
        [],
        [
          ['001', '胜利路社区', 'Shengli Road Community'],
          ['002', '东交通巷社区', 'Dongjiaotong Lane Community', '东交通巷'],
          ['003', '西交通巷社区', 'Xijiaotong Lane Community', '西交通巷'],
          ['004', '公园巷社区', 'Park Lane Community', '公园巷'],
        ],
      ),
      street(
        '630104',
        '005',
        '兴海路街道',
        'Xinghai Road',
        [],
        [
          ['001', '兴海路社区', 'Xinghai Road Community'],
          ['002', '贾小庄社区', 'Jiaxiaozhuang Community', '贾小庄'],
          ['003', '尕寺巷社区', 'Gasi Lane Community', '尕寺巷'],
        ],
      ),
      street(
        '630104',
        '006',
        '文汇路街道',
        'Wenhui Road',
        [],
        [
          ['001', '文汇路社区', 'Wenhui Road Community'],
          ['002', '文博路社区', 'Wenbo Road Community', '文博路'],
          ['003', '海湖路社区', 'Haihu Road Community', '海湖路'],
        ],
      ),
      street(
        '630104',
        '007',
        '通海路街道',
        'Tonghai Road',
        [],
        [
          ['001', '通海路社区', 'Tonghai Road Community'],
          ['002', '海晏路社区', 'Haiyan Road Community', '海晏路'],
          ['003', '冷湖路社区', 'Lenghu Road Community', '冷湖路'],
        ],
      ),
      street(
        '630104',
        '100',
        '彭家寨镇',
        'Pengjiazhai Town',
        [],
        [
          ['201', '彭家寨村', 'Pengjiazhai Village'],
          ['202', '火西村', 'Huoxi Village'],
          ['203', '杨家湾村', 'Yangjiawan Village', '杨家湾'],
        ],
      ),
    ],
  },
  {
    code: '630105',
    nameZh: '城北区',
    nameEn: 'Chengbei',
    aliases: ['城北'],
    streets: [
      street(
        '630105',
        '001',
        '朝阳街道',
        'Chaoyang',
        [],
        [
          ['001', '朝阳社区', 'Chaoyang Community'],
          ['002', '山川社区', 'Shanchuan Community', '山川'],
          ['003', '祁连路社区', 'Qilian Road Community', '祁连路'],
        ],
      ),
      street(
        '630105',
        '002',
        '小桥大街街道',
        'Xiaoqiao Street',
        [],
        [
          ['001', '小桥社区', 'Xiaoqiao Community'],
          ['002', '毛胜寺社区', 'Maoshengsi Community', '毛胜寺'],
        ],
      ),
      street(
        '630105',
        '003',
        '马坊街道',
        'Mafang',
        [],
        [
          ['001', '马坊社区', 'Mafang Community'],
          ['002', '幸福路社区', 'Xingfu Road Community', '幸福路'],
        ],
      ),
      street(
        '630105',
        '004',
        '火车西站街道',
        'West Railway Station',
        [],
        [
          ['001', '西站社区', 'West Station Community'],
          ['002', '柴达木路社区', 'Qaidam Road Community', '柴达木路'],
        ],
      ),
      street('630105', '100', '大堡子镇', 'Dabaozi Town'),
      street('630105', '101', '二十里铺镇', 'Ershilipu Town'),
    ],
  },
  {
    code: '630106',
    nameZh: '湟中区',
    nameEn: 'Huangzhong',
    aliases: ['湟中'],
    streets: [
      street('630106', '100', '鲁沙尔镇', 'Lushaer Town', ['塔尔寺']),
      street('630106', '101', '多巴镇', 'Duoba Town'),
      street('630106', '102', '上新庄镇', 'Shangxinzhuang Town'),
    ],
  },
  {
    code: '630121',
    nameZh: '大通回族土族自治县',
    nameEn: 'Datong',
    aliases: ['大通县', '大通'],
    streets: [
      street('630121', '100', '桥头镇', 'Qiaotou Town'),
      street('630121', '101', '长宁镇', 'Changning Town'),
      street('630121', '102', '塔尔镇', 'Taer Town'),
    ],
  },
  {
    code: '630123',
    nameZh: '湟源县',
    nameEn: 'Huangyuan',
    aliases: ['湟源'],
    streets: [street('630123', '100', '城关镇', 'Chengguan Town'), street('630123', '101', '大华镇', 'Dahua Town')],
  },
];

/** A community or village with the street and district it lies in. */
export interface CommunityLocation {
  district: DistrictPlace;
  street: StreetPlace;
  community: CommunityPlace;
}

/** Look-ups by code over a place list (built once per list). */
export class PlaceIndex {
  private readonly districts = new Map<string, DistrictPlace>();
  private readonly streets = new Map<string, { district: DistrictPlace; street: StreetPlace }>();
  private readonly communities = new Map<string, CommunityLocation>();

  constructor(readonly places: DistrictPlace[] = CITY_PLACES) {
    for (const district of places) {
      this.districts.set(district.code, district);
      for (const street of district.streets) {
        this.streets.set(street.code, { district, street });
        for (const community of street.communities) this.communities.set(community.code, { district, street, community });
      }
    }
  }

  district(code: string): DistrictPlace | undefined {
    return this.districts.get(code);
  }

  street(code: string): { district: DistrictPlace; street: StreetPlace } | undefined {
    return this.streets.get(code);
  }

  community(code: string): CommunityLocation | undefined {
    return this.communities.get(code);
  }
}
