/**
 * zh-CN labels for reports and the wall. Codes the table does not know are shown as they are; an
 * empty key (not known yet) is 未知.
 */
export const DISTRICT_ZH: Record<string, string> = {
  '630100': '西宁市',
  '630102': '城东区',
  '630103': '城中区',
  '630104': '城西区',
  '630105': '城北区',
  '630106': '湟中区',
  '630121': '大通回族土族自治县',
  '630123': '湟源县',
};

export const CATEGORY_ZH: Record<string, string> = {
  lift: '电梯安全',
  consumer_rights: '消费维权',
  food_safety: '食品安全',
  wage_arrears: '拖欠工资',
  social_security: '社会保障',
  education: '教育',
  health: '医疗卫生',
  pollution: '环境污染',
  cooking_fumes: '餐饮油烟',
  tourism: '文化旅游',
  construction: '建筑施工',
  drainage: '排水防涝',
  street_vendor: '占道经营',
  street_light: '路灯照明',
  road: '道路设施',
  tree: '园林绿化',
  garbage: '垃圾清运',
  heating: '供暖',
  water: '供水',
  gas: '燃气',
  power: '供电',
  noise: '噪音扰民',
  property: '物业管理',
  parking: '停车管理',
  neighbourhood: '邻里纠纷',
};

export const CHANNEL_ZH: Record<string, string> = {
  phone_12345: '12345热线',
  web: '网站/APP',
  mayor_mailbox: '市长信箱',
  online_opinion: '网络舆情',
  media: '媒体',
  grid_worker: '网格员',
  video_patrol: '视频巡查',
  problem_wall: '问题墙',
  walk_in: '来访',
  open311: 'Open311',
};

export const REQUEST_TYPE_ZH: Record<string, string> = {
  complaint: '投诉',
  help: '求助',
  inquiry: '咨询',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
};

export function labelOf(table: Record<string, string>, code: string): string {
  if (!code) return '未知';
  return table[code] ?? table[code.split('.')[0]] ?? code;
}

export function categoryZh(code: string | null): string {
  return labelOf(CATEGORY_ZH, code ?? '');
}
