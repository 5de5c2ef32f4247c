import 'reflect-metadata';
import { ManualClock } from '@app/platform/testing';
import { TAXONOMY_SEED } from '../taxonomy/taxonomy.data';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { ClassifierSample } from './classifier-sample.entity';
import { ClassifierRepository } from './classifier.repository';
import { ClassifierService } from './classifier.service';

const categories = TAXONOMY_SEED.map((c) => ({ code: c.code, nameZh: c.zh, nameEn: c.en, keywords: c.keywords }));

describe('ClassifierService', () => {
  const clock = new ManualClock(new Date('2026-03-10T02:00:00Z'));
  let reads = 0;
  const held: (() => void)[] = [];
  const releaseReads = () => held.splice(0).forEach((r) => r());
  // The sample read stays open until the test releases it, so that requests overlap it.
  const repo = {
    recent: async (): Promise<ClassifierSample[]> => {
      reads++;
      await new Promise<void>((r) => held.push(r));
      return [];
    },
  } as unknown as ClassifierRepository;
  const taxonomy = {
    list: () => categories,
    find: (code: string) => categories.find((c) => c.code === code),
  } as unknown as TaxonomyService;

  it('rebuilds a stale model once for the requests that find it stale together', async () => {
    const service = new ClassifierService(repo, taxonomy, clock);
    const first = service.suggest('暖气不热');
    releaseReads();
    await first;
    expect(reads).toBe(1);

    clock.advance(11 * 60_000);
    const together = [service.suggest('电梯困人'), service.suggest('楼道煤气味'), service.suggest('停水三天')];
    expect(reads).toBe(2);
    releaseReads();
    const got = await Promise.all(together);
    expect(got.map((g) => g.categories[0].code.split('.')[0])).toEqual(['lift', 'gas', 'water']);

    // Fresh again: no read until the model is stale once more.
    await service.suggest('路灯不亮');
    expect(reads).toBe(2);
  });
});
