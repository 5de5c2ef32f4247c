import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { FieldValidationException, validationPipe } from './http-errors';

class Place {
  @IsString()
  @MaxLength(20)
  address: string;

  @IsOptional()
  @Matches(/^\d{9}$/)
  streetCode?: string;
}

enum Channel {
  Phone = 'phone',
  Web = 'web',
}

class Order {
  @IsEnum(Channel)
  channel: Channel;

  @IsString()
  content: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  copies?: number;

  @ValidateNested()
  @Type(() => Place)
  location: Place;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Place)
  alsoAt?: Place[];
}

/** An async rule: the compiled check leaves the class to class-validator. */
function IsEventuallyTrue() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      target: target.constructor,
      propertyName,
      async: true,
      validator: { validate: (v: unknown, _a: ValidationArguments) => Promise.resolve(v === true) },
    });
}
class Confirmation {
  @IsEventuallyTrue()
  sure: boolean;
}

const body = (metatype: Function): ArgumentMetadata => ({ type: 'body', metatype: metatype as never, data: '' });
const valid = { channel: 'phone', content: '噪声扰民', location: { address: '胜利路12号', streetCode: '630104004' } };

/** What Nest's own ValidationPipe, with the same options, answers: the reference. */
const reference = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });

async function outcome(pipe: ValidationPipe, value: unknown, metatype: Function): Promise<unknown> {
  try {
    const r = await pipe.transform(value, body(metatype));
    return { ok: r };
  } catch (e) {
    const res = (e as { getResponse(): unknown }).getResponse() as { message: unknown };
    return { refused: e instanceof FieldValidationException ? res.message : res.message };
  }
}

describe('PlatformValidationPipe: the compiled check first, class-validator for the rest', () => {
  afterEach(() => jest.restoreAllMocks());

  it('passes a valid body without running class-validator, transformed to its class', async () => {
    const spy = jest.spyOn(classValidator, 'validate');
    const out = (await validationPipe().transform(structuredClone(valid), body(Order))) as Order;
    expect(out).toBeInstanceOf(Order);
    expect(out.location).toBeInstanceOf(Place);
    expect(out).toEqual(valid);
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown property', { ...valid, extra: 1 }],
    ['an unknown nested property', { ...valid, location: { ...valid.location, floor: 3 } }],
    ['a wrong enum', { ...valid, channel: 'fax' }],
    ['a nested rule broken', { ...valid, location: { address: 'x'.repeat(21) } }],
    ['an item of a nested array broken', { ...valid, alsoAt: [{ address: 'a' }, { address: 5 }] }],
    ['a number below its minimum', { ...valid, copies: 0 }],
    ['a nested value that is not an object', { ...valid, location: 'somewhere' }],
  ])('refuses %s with exactly class-validator’s reasons', async (_what, value) => {
    const spy = jest.spyOn(classValidator, 'validate');
    const mine = (await outcome(validationPipe(), structuredClone(value), Order)) as { refused?: string };
    expect(mine.refused).toBeDefined();
    expect(spy).toHaveBeenCalled();
    const theirs = (await outcome(reference, structuredClone(value), Order)) as { refused?: string[] };
    // the same constraints, phrased by FieldValidationException as `field: reason`
    for (const reason of theirs.refused ?? []) {
      const words = String(reason).split(' ').slice(1).join(' ');
      expect(mine.refused).toContain(words);
    }
  });

  it('accepts what class-validator accepts: a nested object left out (@ValidateNested alone does not require it)', async () => {
    const value = { channel: 'web', content: 'x' };
    expect(await outcome(reference, structuredClone(value), Order)).toEqual({ ok: value });
    expect(await outcome(validationPipe(), structuredClone(value), Order)).toEqual({ ok: value });
  });

  it('leaves a class with an async rule to class-validator, both ways', async () => {
    const spy = jest.spyOn(classValidator, 'validate');
    await expect(validationPipe().transform({ sure: true }, body(Confirmation))).resolves.toBeInstanceOf(Confirmation);
    await expect(validationPipe().transform({ sure: false }, body(Confirmation))).rejects.toBeInstanceOf(FieldValidationException);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
