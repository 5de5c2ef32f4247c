import { Clock, Outbox, TxHost } from '@app/platform';
import { Category } from './category.entity';
import { TaxonomyRepository } from './taxonomy.repository';
import { TaxonomyService } from './taxonomy.service';
import { IntakeConfig } from '../intake.config';

const lift = (nameZh: string): Category =>
  Object.assign(new Category(), { code: 'lift', parentCode: null, level: 1, nameZh, nameEn: 'Lift', keywords: [], active: true });

describe('TaxonomyService.reload', () => {
  it('never lets a read that started earlier replace one that started later (the timer and a save overlapping)', async () => {
    const answers: ((rows: Category[]) => void)[] = [];
    const repo = { all: () => new Promise<Category[]>((resolve) => answers.push(resolve)) } as unknown as TaxonomyRepository;
    // reload neither publishes nor writes: no outbox, transaction host or clock is reached
    const taxonomy = new TaxonomyService(repo, { TAXONOMY_RELOAD_SECONDS: 0 } as IntakeConfig, {} as Outbox, {} as TxHost, {} as Clock);
    let heard = 0;
    taxonomy.onChange(() => heard++);
    const timers = taxonomy.reload(); // the timer's read: before the save
    const saves = taxonomy.reload(); // the save's read: after it
    answers[1]([lift('电梯（改）')]);
    await saves;
    answers[0]([lift('电梯')]);
    await timers;
    expect(taxonomy.find('lift')?.nameZh).toBe('电梯（改）');
    expect(heard).toBe(1);
  });
});
