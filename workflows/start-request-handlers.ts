import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  startedByRequest, StartRequestRejection, startRequestUpdate, type StartCoverage, type StartRequest, type StartRequestAnswer, type StartRequestAsk,
} from '../domain/contracts/start-request';

/**
 * Registers a sync's `startRequest` update (Update-With-Start from the operations layer) for a run
 * whose work a request never changes or only queues after it: `take` answers what the run covers
 * once it has taken the request on. The validator refuses a request of another kind.
 */
export function acceptStartRequests<K extends StartRequestAsk['kind']>(kind: K, take: (ask: Extract<StartRequestAsk, { kind: K }>) => StartCoverage): void {
  setHandler(
    startRequestUpdate,
    (request: StartRequest): StartRequestAnswer => ({
      attached: !startedByRequest(workflowInfo().memo, request.requestId),
      covers: take(request.ask as Extract<StartRequestAsk, { kind: K }>),
    }),
    {
      validator: (request: StartRequest): void => {
        if (request.ask?.kind !== kind) {
          throw ApplicationFailure.create({ type: StartRequestRejection.Invalid, message: `a ${String(request.ask?.kind)} request cannot reach a ${kind} sync`, nonRetryable: true });
        }
      },
    },
  );
}
