/**
 * The category catalogue (诉求分类): one list for the whole platform. Codes are stable wire identifiers
 * (dotted, lower snake case); roots agree with dispatch's routing table and sla's policy prefixes.
 * Names zh-CN first, English second. Intake seeds its maintained taxonomy from it (the console shows
 * categories by those names, and an administrator maintains the table after the seed); notify names
 * an order's category with it in its messages. Keywords feed intake's classifier and the Open311
 * service list.
 */
export interface CategoryEntry {
  code: string;
  zh: string;
  en: string;
  keywords: string[];
}

export const CATEGORY_CATALOGUE: CategoryEntry[] = [
  {
    code: 'heating',
    zh: '供热',
    en: 'Heating',
    keywords: ['暖气', '供暖', '供热', '暖气片', '地暖', '室温', '采暖', '热力', '供热公司', '不热'],
  },
  { code: 'heating.not_warm', zh: '暖气不热', en: 'Radiators not warm', keywords: ['暖气不热', '室温低', '不达标', '冰凉', '温度低'] },
  { code: 'heating.fee', zh: '供热收费', en: 'Heating fees', keywords: ['取暖费', '采暖费', '供热费'] },
  { code: 'heating.fee.refund', zh: '供热费退费', en: 'Heating fee refund', keywords: ['退费', '退还取暖费', '退款'] },
  { code: 'water', zh: '供水', en: 'Water supply', keywords: ['自来水', '停水', '供水', '水压', '水管', '水质', '水表', '没水'] },
  { code: 'water.outage', zh: '停水', en: 'Water outage', keywords: ['停水', '没水', '断水', '水压低'] },
  { code: 'water.pipe_burst', zh: '水管爆裂', en: 'Burst water pipe', keywords: ['爆裂', '爆管', '漏水', '跑水', '管道破裂'] },
  { code: 'water.quality', zh: '水质问题', en: 'Water quality', keywords: ['水质', '发黄', '浑浊', '异味', '水垢'] },
  { code: 'gas', zh: '燃气', en: 'Gas', keywords: ['燃气', '天然气', '煤气', '气表', '燃气灶', '燃气公司', '通气'] },
  { code: 'gas.leak', zh: '燃气泄漏', en: 'Gas leak', keywords: ['漏气', '燃气泄漏', '煤气味', '天然气味'] },
  { code: 'gas.outage', zh: '停气', en: 'Gas outage', keywords: ['停气', '没气', '断气'] },
  { code: 'power', zh: '供电', en: 'Power supply', keywords: ['停电', '供电', '电压', '电表', '电力', '跳闸', '变压器', '电线', '电费'] },
  { code: 'power.outage', zh: '停电', en: 'Power outage', keywords: ['停电', '没电', '断电'] },
  {
    code: 'property',
    zh: '物业管理',
    en: 'Property management',
    keywords: ['物业', '物业公司', '物业费', '小区', '业委会', '门禁', '保安', '楼道'],
  },
  { code: 'property.service', zh: '物业服务', en: 'Property services', keywords: ['物业不管', '物业服务', '卫生差', '楼道堆物'] },
  { code: 'property.fee', zh: '物业收费', en: 'Property fees', keywords: ['物业费', '乱收费', '停车管理费'] },
  { code: 'noise', zh: '噪音扰民', en: 'Noise', keywords: ['噪音', '噪声', '扰民', '吵', '吵闹', '音响', '广场舞', '喇叭', '凌晨'] },
  { code: 'noise.business', zh: '商业经营噪音', en: 'Business noise', keywords: ['台球室', 'KTV', '酒吧', '商铺', '音响', '排风机'] },
  { code: 'noise.construction', zh: '施工噪音', en: 'Construction noise', keywords: ['夜间施工', '施工噪音', '打桩', '切割'] },
  { code: 'street_light', zh: '路灯照明', en: 'Street lights', keywords: ['路灯', '不亮', '照明', '灯坏', '黑灯', '路灯杆'] },
  { code: 'parking', zh: '停车管理', en: 'Parking', keywords: ['停车', '车位', '停车场', '乱停', '占道停车', '地桩', '地锁', '挪车'] },
  { code: 'parking.difficulty', zh: '停车难', en: 'Parking shortage', keywords: ['停车难', '找车位', '没有车位'] },
  { code: 'parking.obstruction', zh: '私装地桩地锁', en: 'Private bollards and locks', keywords: ['地桩', '地锁', '阻车桩', '私装'] },
  { code: 'lift', zh: '电梯', en: 'Lifts', keywords: ['电梯', '轿厢', '电梯维保', '电梯故障', '升降'] },
  { code: 'lift.trapped', zh: '电梯困人', en: 'Trapped in a lift', keywords: ['困人', '被困', '困在电梯'] },
  { code: 'lift.fault', zh: '电梯故障', en: 'Lift fault', keywords: ['忽上忽下', '停运', '异响', '门夹人', '坏了'] },
  {
    code: 'wage_arrears',
    zh: '拖欠工资',
    en: 'Unpaid wages',
    keywords: ['拖欠', '工资', '欠薪', '讨薪', '农民工', '工钱', '劳务费', '包工头'],
  },
  {
    code: 'social_security',
    zh: '社会保障',
    en: 'Social security',
    keywords: ['社保', '养老保险', '医保', '失业', '退休', '低保', '养老金', '参保', '缴费'],
  },
  {
    code: 'consumer_rights',
    zh: '消费维权',
    en: 'Consumer rights',
    keywords: ['消费', '退款', '商家', '假货', '维权', '预付卡', '办卡', '售后', '质量问题', '欺诈'],
  },
  {
    code: 'food_safety',
    zh: '食品安全',
    en: 'Food safety',
    keywords: ['食品', '过期', '变质', '餐馆', '卫生', '食物中毒', '无证', '后厨'],
  },
  {
    code: 'education',
    zh: '教育',
    en: 'Education',
    keywords: ['学校', '幼儿园', '入学', '学生', '老师', '补课', '培训', '学位', '校车', '招生'],
  },
  { code: 'health', zh: '医疗卫生', en: 'Health', keywords: ['医院', '看病', '医生', '卫生院', '诊所', '药店', '疫苗', '挂号', '医疗'] },
  { code: 'cooking_fumes', zh: '餐饮油烟', en: 'Cooking fumes', keywords: ['油烟', '排烟', '烧烤', '餐厅', '饭馆', '熏'] },
  {
    code: 'pollution',
    zh: '环境污染',
    en: 'Pollution',
    keywords: ['污染', '排放', '粉尘', '扬尘', '污水', '臭味', '废气', '垃圾焚烧', '河沟'],
  },
  {
    code: 'street_vendor',
    zh: '占道经营',
    en: 'Street vendors',
    keywords: ['小摊', '摊贩', '摆摊', '占道经营', '流动摊点', '早市', '夜市'],
  },
  { code: 'garbage', zh: '垃圾清运', en: 'Garbage', keywords: ['垃圾', '垃圾桶', '清运', '堆放', '建筑垃圾', '垃圾箱', '环卫'] },
  {
    code: 'road',
    zh: '道路与井盖',
    en: 'Roads and manholes',
    keywords: ['道路', '路面', '坑', '井盖', '破损', '塌陷', '人行道', '积水', '马路'],
  },
  { code: 'road.manhole', zh: '井盖缺失破损', en: 'Manhole covers', keywords: ['井盖', '窨井', '下水井'] },
  { code: 'road.damage', zh: '路面破损', en: 'Road damage', keywords: ['坑洼', '塌陷', '破损', '裂缝'] },
  {
    code: 'tree',
    zh: '园林绿化',
    en: 'Trees and green space',
    keywords: ['树', '树木', '树枝', '绿化', '修剪', '倒伏', '草坪', '公园', '枯树'],
  },
  {
    code: 'traffic',
    zh: '交通出行',
    en: 'Traffic and transport',
    keywords: ['红绿灯', '信号灯', '公交', '出租车', '堵车', '斑马线', '交通', '站牌', '网约车'],
  },
  {
    code: 'tourism',
    zh: '文化旅游',
    en: 'Culture and tourism',
    keywords: ['景区', '门票', '游客', '导游', '旅行社', '景点', '免票', '酒店'],
  },
  {
    code: 'construction',
    zh: '建筑施工',
    en: 'Construction',
    keywords: ['施工', '工地', '违建', '违章建筑', '开发商', '房屋质量', '交房', '装修'],
  },
  { code: 'drainage', zh: '排水', en: 'Drainage', keywords: ['下水道', '排水', '堵塞', '污水外溢', '化粪池', '雨水', '管网', '返水'] },
  { code: 'neighbourhood', zh: '邻里纠纷', en: 'Neighbour disputes', keywords: ['邻居', '纠纷', '邻里', '楼上', '楼下', '漏水到', '矛盾'] },
  { code: 'housing', zh: '房屋租赁', en: 'Housing and rentals', keywords: ['群租', '租房', '房东', '押金', '中介', '出租屋', '房产证'] },
  {
    code: 'fire_safety',
    zh: '消防安全',
    en: 'Fire safety',
    keywords: ['消防', '易燃', '消防通道', '堆放杂物', '隐患', '电动车充电', '飞线'],
  },
  { code: 'animal', zh: '动物管理', en: 'Animals', keywords: ['流浪狗', '狗', '犬', '宠物', '遛狗', '咬人', '流浪猫'] },
  { code: 'other', zh: '其他', en: 'Other', keywords: [] },
];

/** The parent of a dotted code (`heating.fee.refund` → `heating.fee`), or null for a root. */
export function categoryParent(code: string): string | null {
  const i = code.lastIndexOf('.');
  return i < 0 ? null : code.slice(0, i);
}

/** Whether a rule's category `prefix` covers `code`: the code itself or one below it (`env` covers `env.noise`, not `envoy`). */
export function categoryCovers(prefix: string, code: string): boolean {
  return code === prefix || code.startsWith(`${prefix}.`);
}

export function categoryRoot(code: string): string {
  return code.split('.')[0];
}

const BY_CODE = new Map(CATEGORY_CATALOGUE.map((c) => [c.code, c]));

/**
 * A category by its catalogue name: the code's own entry, else its nearest ancestor's (a code an
 * administrator added under a seeded one), else undefined.
 */
export function catalogueCategory(code: string | null | undefined): CategoryEntry | undefined {
  for (let c: string | null = code ?? null; c; c = categoryParent(c)) {
    const found = BY_CODE.get(c);
    if (found) return found;
  }
  return undefined;
}

/** A category's names as an administrator last set them (`category.changed.v1`). */
export interface CategoryNames {
  zh: string;
  en: string;
}

/**
 * The code and its ancestors, the code first (`heating.fee.refund`, `heating.fee`, `heating`): the
 * rows `categoryName` may need.
 */
export function categoryLineage(code: string | null | undefined): string[] {
  const out: string[] = [];
  for (let c: string | null = code ?? null; c; c = categoryParent(c)) out.push(c);
  return out;
}

/**
 * What a person is shown for a category: the nearest of the code and its ancestors that has a name,
 * the administrator's (`maintained`, from `category.changed.v1`) before the catalogue's at each
 * level; a code nothing names as it is. Notify's messages and analytics' reports use it, so they
 * name a category as the console does (from intake's taxonomy).
 */
export function categoryName(code: string | null | undefined, maintained: ReadonlyMap<string, CategoryNames>): CategoryNames | undefined {
  for (const c of categoryLineage(code)) {
    const named = maintained.get(c) ?? BY_CODE.get(c);
    if (named) return { zh: named.zh, en: named.en };
  }
  return undefined;
}
