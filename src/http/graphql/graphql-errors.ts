import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { BatchItemError } from '../../core/batch/batch-service.js';
import { PlinthError, errors, isUnavailableError } from '../../core/errors/plinth-error.js';
import { errorEnvelope } from '../error-status.js';

/**
 * A core error as a GraphQL error: the message is the one REST sends, and `extensions` carry
 * REST's envelope (`code`, `status`, `data` with the field errors), so clients handle both alike.
 */
export function plinthGraphqlError(error: PlinthError, path?: GraphQLError['path']): GraphQLError {
  const envelope = errorEnvelope(error);
  return new GraphQLError(envelope.message, {
    path,
    extensions: { code: error.code.toUpperCase(), status: envelope.status, data: envelope.data },
  });
}

/** A failed `batch` write, with the failed index under `data.requests` as `POST /api/batch` answers. */
export function batchItemError(err: BatchItemError): GraphQLError {
  return new GraphQLError('Batch transaction failed.', {
    extensions: {
      code: 'BAD_REQUEST',
      status: 400,
      data: {
        requests: {
          [String(err.index)]: { code: 'batch_request_failed', message: 'Batch request failed.', response: errorEnvelope(err.failure) },
        },
      },
    },
  });
}

/** An error the client caused before execution (limits, a bad document): code and message only. */
export function requestError(message: string, code = 'BAD_REQUEST'): GraphQLError {
  return new GraphQLError(message, { extensions: { code, status: 400 } });
}

/**
 * What leaves for one error: resolver errors from the core keep their safe message and REST
 * envelope; anything unexpected is logged and leaves as REST's generic 500 message.
 */
export function formatGraphqlError(error: GraphQLError, log: (err: unknown) => void): GraphQLFormattedError {
  const original = error.originalError;
  if (original instanceof PlinthError) {
    if (original.code === 'internal') log(original.cause ?? original);
    return plinthGraphqlError(original, error.path).toJSON();
  }
  if (!original || original instanceof GraphQLError) return error.toJSON();
  if (isUnavailableError(original)) return plinthGraphqlError(errors.unavailable(original), error.path).toJSON();
  log(original);
  return plinthGraphqlError(errors.internal(original), error.path).toJSON();
}
