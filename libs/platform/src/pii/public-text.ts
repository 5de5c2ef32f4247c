/**
 * What a text shown to the public (the problem wall, Open311, the citizen's status and survey pages)
 * must never carry: ID card numbers, mobile and landline numbers and any other run of seven or more
 * digits, and the house-number part of an address (12号, 3号楼, 2单元, 501室, 5栋) become `[已隐去]`;
 * a person named by surname and form of address (刘女士, 王师傅, 张大爷) becomes 市民. Units are told
 * not to write these in a reply; the public pages do not rely on it. Road, street and community names
 * stay: they are the place the wall is about. A full name written without a form of address cannot
 * be told from other words and is not caught: the unit's reply form says so.
 */
const MASK = '[已隐去]';
const NUM = '0-9０-９一二三四五六七八九十百零〇两';
const HOUSE = new RegExp(`(?:[${NUM}]+(?:[-－—][${NUM}]+)?\\s*(?:号楼|号院|号|栋|幢|单元|室|户|楼|层|弄)\\s*)+`, 'g');
/** Common surnames, without those that are also everyday words before a title (城管师傅, 维修师傅). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤温康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞柳祝舒阮柯纪梅童凌裴霍涂苗谷盛翁冉骆蓝辛靳蒙鲍喻祁蒲滕屈饶牟艾尤穆卓缪简芦麦褚娄窦戚岑费卜晏席卫柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄仲虞敖巩佘迟邝';
const NAMED = new RegExp(`[${SURNAMES}][\\u4e00-\\u9fa5]{0,2}?(?:女士|先生|小姐|师傅|阿姨|大爷|大妈|大姐|大哥|奶奶|爷爷)`, 'g');

export function redactPublicText(text: string): string {
  return text
    .replace(/\d{17}[\dXx]|\d{15}/g, MASK)
    .replace(/(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}/g, MASK)
    .replace(/0\d{2,3}[- ]?\d{7,8}/g, MASK)
    .replace(/\d{7,}/g, MASK)
    .replace(HOUSE, MASK)
    .replace(NAMED, '市民')
    .replace(/\[已隐去\](?:\s*\[已隐去\])+/g, MASK);
}
