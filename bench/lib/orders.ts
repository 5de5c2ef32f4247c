/**
 * Realistic, varied orders for POST /tickets: what a Xining 12345 operator records in a day. Seeded,
 * so a run can be repeated with the same payloads. Districts and streets come from the demo
 * organisation (scripts/demo/xining.seed.ts), so every order routes to a real unit.
 */
import { DISTRICTS } from '../../scripts/demo/xining.seed';

/** mulberry32: small, fast, good enough for payload variety. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
function weighted<T>(r: Rand, xs: readonly [T, number][]): T {
  const total = xs.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs[xs.length - 1][0];
}
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志海燕鹏飞晓梅雪琴云峰宁斌辉婷慧玲凤晨浩宇欣怡子涵梓轩佳琪'.split('');
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '183',
  '186',
  '187',
  '188',
  '189',
  '191',
  '199',
];
const ROADS = [
  '五四大街',
  '胜利路',
  '黄河路',
  '昆仑路',
  '长江路',
  '七一路',
  '南山路',
  '海湖大道',
  '文汇路',
  '八一路',
  '柴达木路',
  '湟中路',
  '西关大街',
  '东关大街',
  '建国路',
  '互助路',
  '祁连路',
  '通海路',
  '冷湖路',
  '兴海路',
  '南川西路',
  '小桥大街',
  '朝阳东路',
  '宁张路',
];
const COMPOUNDS = [
  '阳光花园',
  '海湖新城',
  '锦绣家园',
  '香格里拉小区',
  '幸福家园',
  '西钢福苑',
  '青藏花园',
  '桃李小区',
  '国际村',
  '湟水河畔',
  '万达华府',
  '中房城市花园',
  '同仁小区',
  '北川水岸',
  '城南新苑',
  '夏都花园',
];
const SHOPS = ['烧烤店', '火锅店', '牛肉面馆', '超市', 'KTV', '汽修店', '洗车店', '棋牌室', '早餐铺', '酿皮店'];
const COMPANIES = [
  '某建筑劳务公司',
  '某物业服务公司',
  '某装饰工程公司',
  '某餐饮管理公司',
  '某商贸有限公司',
  '某物流公司',
  '某保安服务公司',
];

/** Category → sentences a citizen might say. `{c}` compound, `{b}` building, `{s}` shop, `{co}` company, `{n}` a number. */
const CATEGORIES: [string, number, string[]][] = [
  [
    'lift',
    8,
    [
      '{c}{b}号楼电梯忽上忽下，今天又困人了，物业说等配件，老人小孩都不敢坐，请尽快处理。',
      '{c}{b}号楼电梯年检标志过期{n}个月，运行时有异响，担心安全。',
      '电梯经常停在两层中间，按钮失灵，已经报修{n}次没人管。',
    ],
  ],
  [
    'noise',
    10,
    [
      '楼下{s}每天营业到凌晨两三点，音响声音很大，严重影响休息，希望有关部门管一管。',
      '{c}附近工地夜间施工，晚上十一点以后还在打桩，孩子没法睡觉。',
      '隔壁装修从早上七点就开始电钻，周末也不停，已持续{n}天。',
      '广场舞音响太吵，晚上九点半以后还在放，请协调降低音量。',
    ],
  ],
  [
    'heating',
    9,
    [
      '{c}{b}号楼暖气不热，室内温度只有{n}度，家里有老人，请供热公司上门检查。',
      '今年供暖费已经交了，但暖气片一直是凉的，打供热公司电话打不通。',
      '暖气管道漏水，楼道里全是水，结冰了很滑。',
      '家里暖气上热下不热，放过气也没用，请派人维修。',
    ],
  ],
  [
    'wage_arrears',
    7,
    [
      '我在{co}干了{n}个月，工资一直拖着不发，老板联系不上，请帮忙讨薪。',
      '{co}拖欠我们{n}名农民工工资，项目已经完工半年了。',
      '离职后公司不结算最后两个月工资，也不给离职证明。',
    ],
  ],
  [
    'garbage',
    8,
    [
      '{c}门口垃圾桶满了好几天没人清运，味道很大，招苍蝇。',
      '小区里建筑垃圾堆了很久没人拉走，占了消防通道。',
      '垃圾车每天早上五点来收垃圾，噪音很大，能不能调整时间？',
    ],
  ],
  [
    'street_vendor',
    6,
    [
      '{r}路口流动摊贩占道经营，早晚高峰堵得走不动。',
      '学校门口小摊贩卖三无食品，担心孩子吃坏肚子。',
      '夜市摊位油烟和垃圾没人管，第二天满地狼藉。',
    ],
  ],
  [
    'water',
    7,
    [
      '{c}从昨天开始停水，没有任何通知，请问什么时候恢复？',
      '自来水发黄有异味，烧开了还有沉淀，是不是管道出了问题？',
      '{r}一带水压很低，{b}楼以上基本没水。',
      '水表走字异常，这个月水费比平时多了{n}倍。',
    ],
  ],
  ['property', 5, ['物业不作为，楼道灯坏了{n}个月没人修，还要涨物业费。', '小区物业私自把绿地改成停车位收费。']],
  ['parking', 4, ['{c}门口车辆乱停乱放，消防车都进不来。', '有人长期占用公共车位堆放杂物。']],
  ['cooking_fumes', 3, ['楼下{s}油烟直排，窗户都不敢开，衣服晾出去都是油味。']],
  ['road', 3, ['{r}有个大坑，下雨积水看不见，已经有电动车摔倒了。', '人行道地砖松动翘起，老人走路容易绊倒。']],
  ['street_light', 2, ['{r}路灯坏了一排，晚上漆黑一片，走夜路很不安全。']],
  ['consumer_rights', 3, ['在{s}办了会员卡充值{n}百元，现在店关门了，钱退不了。', '网购的家电有质量问题，商家拒绝退换。']],
  ['food_safety', 2, ['在{s}吃饭后全家腹泻，怀疑食材不新鲜。']],
  ['drainage', 2, ['小区化粪池堵塞，污水冒到路面上，臭味很大。', '{r}下水道井盖丢失，很危险。']],
  ['gas', 2, ['楼道里有燃气味，担心泄漏，请燃气公司马上来看看。']],
  ['power', 2, ['{c}频繁停电，一周停了{n}次，冰箱里的东西都坏了。']],
  ['social_security', 2, ['医保转移接续办了{n}个月还没办好，来回跑了好几趟。', '退休金核算有疑问，想咨询一下计算标准。']],
  ['education', 1, ['孩子入学划片问题，户口在这里却被分到很远的学校。']],
  ['health', 1, ['社区卫生服务中心疫苗预约不上，电话一直占线。']],
  ['construction', 1, ['{c}外墙保温层脱落，下面就是小区主干道，很危险。']],
  ['tree', 1, ['{r}行道树枝干快断了，刮风时摇晃得厉害。']],
  ['neighbourhood', 2, ['楼上邻居家漏水到我家天花板，沟通多次不处理。', '邻居在楼道里堆放杂物和电动车，还私拉电线充电。']],
];

const CHANNELS: [string, number][] = [
  ['phone_12345', 72],
  ['web', 8],
  ['mayor_mailbox', 3],
  ['online_opinion', 4],
  ['walk_in', 2],
  ['media', 1],
  ['grid_worker', 7],
  ['video_patrol', 3],
];
const PROACTIVE = new Set(['grid_worker', 'video_patrol']);
const REQUEST_TYPES: [string, number][] = [
  ['complaint', 50],
  ['help', 25],
  ['inquiry', 10],
  ['suggestion', 8],
  ['report', 5],
  ['praise', 2],
];
const URGENCIES: [string, number][] = [
  ['ordinary', 85],
  ['urgent', 10],
  ['long_term', 5],
];
// Where people live: the urban districts call most.
const DISTRICT_WEIGHTS: Record<string, number> = {
  '630102': 18,
  '630103': 18,
  '630104': 22,
  '630105': 16,
  '630106': 12,
  '630121': 8,
  '630123': 6,
};

export interface OrderBody {
  channel: string;
  requestType: string;
  categoryCode: string;
  urgency: string;
  content: string;
  citizen?: { name: string; phone: string };
  identityHidden?: boolean;
  location: { address: string; districtCode: string; streetCode?: string; lat?: number; lng?: number };
}

export class OrderFactory {
  private readonly r: Rand;
  readonly categoryCounts = new Map<string, number>();

  constructor(seed: number) {
    this.r = rng(seed);
  }

  next(): OrderBody {
    const r = this.r;
    const [category, , sentences] = weighted(
      r,
      CATEGORIES.map((c) => [c, c[1]] as [(typeof CATEGORIES)[number], number]),
    );
    this.categoryCounts.set(category, (this.categoryCounts.get(category) ?? 0) + 1);
    const district = weighted(
      r,
      DISTRICTS.map((d) => [d, DISTRICT_WEIGHTS[d.code] ?? 5] as [(typeof DISTRICTS)[number], number]),
    );
    const [suffix, streetZh] = pick(r, district.streets);
    const road = pick(r, ROADS);
    const compound = pick(r, COMPOUNDS);
    const building = int(r, 1, 32);
    const fill = (s: string) =>
      s
        .replace(/\{c\}/g, compound)
        .replace(/\{b\}/g, String(building))
        .replace(/\{s\}/g, pick(r, SHOPS))
        .replace(/\{co\}/g, pick(r, COMPANIES))
        .replace(/\{r\}/g, road)
        .replace(/\{n\}/g, String(int(r, 2, 12)));
    let content = fill(pick(r, sentences));
    if (r() < 0.35)
      content += fill(
        pick(r, [
          '之前已经反映过一次，没有结果。',
          '希望尽快回复。',
          '我的电话可以随时联系。',
          '请不要透露我的信息。',
          '麻烦工作人员实地看一下。',
        ]),
      );
    const channel = weighted(r, CHANNELS);
    const proactive = PROACTIVE.has(channel);
    const streetKnown = r() < 0.85;
    const body: OrderBody = {
      channel,
      requestType: proactive ? 'report' : weighted(r, REQUEST_TYPES),
      categoryCode: category,
      urgency: weighted(r, URGENCIES),
      content: proactive ? `【${channel === 'grid_worker' ? '网格员上报' : '视频巡查发现'}】${content}` : content,
      location: {
        address: `西宁市${district.zh}${streetKnown ? streetZh : ''}${road}${int(r, 1, 288)}号${compound}${building}号楼${int(r, 1, 6)}单元`,
        districtCode: district.code,
        ...(streetKnown ? { streetCode: `${district.code}${suffix}` } : {}),
        ...(r() < 0.4 ? { lat: round6(36.55 + r() * 0.15), lng: round6(101.65 + r() * 0.2) } : {}),
      },
    };
    if (!proactive) {
      body.citizen = { name: pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.6 ? pick(r, GIVEN) : ''), phone: this.phone() };
      if (r() < 0.1) body.identityHidden = true;
    }
    return body;
  }

  private phone(): string {
    const r = this.r;
    if (r() < 0.1) return `0971-${int(r, 5, 8)}${String(int(r, 0, 999_999)).padStart(6, '0')}`;
    return `${pick(r, MOBILE_PREFIXES)}${String(int(r, 0, 99_999_999)).padStart(8, '0')}`;
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
