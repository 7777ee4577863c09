/** What a call that must fail threw: an ApiError, or the test fails. */
import { expect } from 'vitest';
import { ApiError } from '../src/shared/api';

export async function apiFailure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
