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
import { STRICT_VALIDATION } from '../validation/compiled-check';
import { FieldValidationException, PlatformValidationPipe, validationPipe } from './http-errors';
import { flattenValidationErrors } from './validation';

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

/** What Nest's own ValidationPipe (class-validator on every body), with the same options and errors, answers: the reference. */
const reference = new ValidationPipe({
  ...STRICT_VALIDATION,
  transform: true,
  exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
});

/** The value a pipe passes on, or the body of the 400 it throws. */
async function outcome(pipe: ValidationPipe, value: unknown, metatype: Function): Promise<{ ok?: unknown; refused?: unknown }> {
  try {
    return { ok: await pipe.transform(value, body(metatype)) };
  } catch (e) {
    if (!(e instanceof FieldValidationException)) throw e;
    return { refused: e.getResponse() };
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
    const mine = await outcome(validationPipe(), structuredClone(value), Order);
    expect(mine.refused).toBeDefined();
    expect(spy).toHaveBeenCalled();
    // the same 400 body, field by field and reason by reason
    expect(mine).toEqual(await outcome(reference, structuredClone(value), Order));
  });

  it('accepts what class-validator accepts: a nested object left out (@ValidateNested alone does not require it)', async () => {
    const value = { channel: 'web', content: 'x' };
    expect(await outcome(reference, structuredClone(value), Order)).toEqual({ ok: value });
    expect(await outcome(validationPipe(), structuredClone(value), Order)).toEqual({ ok: value });
  });

  it('a pipe built with other options (unknown properties let through) always asks class-validator', async () => {
    const spy = jest.spyOn(classValidator, 'validate');
    const lenient = new PlatformValidationPipe({ transform: true });
    await expect(lenient.transform(structuredClone(valid), body(Order))).resolves.toBeInstanceOf(Order);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('leaves a class with an async rule to class-validator, both ways', async () => {
    const spy = jest.spyOn(classValidator, 'validate');
    await expect(validationPipe().transform({ sure: true }, body(Confirmation))).resolves.toBeInstanceOf(Confirmation);
    await expect(validationPipe().transform({ sure: false }, body(Confirmation))).rejects.toBeInstanceOf(FieldValidationException);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
