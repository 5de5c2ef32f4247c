import 'reflect-metadata';
import { RequestType, Urgency } from '@app/contracts';
import { TAXONOMY_SEED } from '../taxonomy/taxonomy.data';
import { CategoryModel, suggestType, suggestUrgency } from './classifier';

const taxonomy = TAXONOMY_SEED.map((c) => ({ code: c.code, nameZh: c.zh, keywords: c.keywords }));

describe('CategoryModel', () => {
  const model = new CategoryModel(taxonomy);

  it.each([
    ['家里暖气片冰凉，室温只有十二度', 'heating'],
    ['小区电梯把人困在里面了', 'lift'],
    ['工地老板拖欠我们三个月工资', 'wage_arrears'],
    ['饭馆油烟熏得没法开窗', 'cooking_fumes'],
  ])('puts %s first in %s', (text, root) => {
    expect(model.rank(text)[0].code).toBe(root);
  });

  it('names a sub-category when its keywords match, with three distinct roots', () => {
    const got = model.suggestCategories('楼道里有很浓的煤气味，怀疑漏气');
    expect(got[0].code).toBe('gas.leak');
    expect(new Set(got.map((g) => g.code.split('.')[0])).size).toBe(3);
  });

  it('learns from a correction: a word unknown to the taxonomy moves to the confirmed category', () => {
    const m = new CategoryModel(taxonomy);
    const text = '小区的充电桩全部坏掉了';
    for (let i = 0; i < 3; i++) m.learn({ text: `${text}${i}`, categoryCode: 'power', corrected: true });
    expect(m.rank('充电桩坏掉了')[0].code).toBe('power');
  });
});

describe('type and urgency cues', () => {
  it.each([
    ['请问今年供暖什么时候开始', RequestType.Inquiry],
    ['举报有人私自砍树', RequestType.Report],
    ['建议增设公交线路', RequestType.Suggestion],
    ['感谢社区工作人员', RequestType.Praise],
    ['楼下噪音很大', RequestType.Complaint],
  ])('%s → %s', (text, type) => expect(suggestType(text)).toBe(type));

  it.each([
    ['水管爆裂，水漫到路上', Urgency.Urgent],
    ['开发商延期交房一年多了', Urgency.LongTerm],
    ['路灯不亮', Urgency.Ordinary],
  ])('%s → %s', (text, urgency) => expect(suggestUrgency(text)).toBe(urgency));
});
