import { traceBatches, traceStatement } from '../telemetry/work-spans.js';
import type { Statement } from './queries.js';
import type { StatementRunner } from './sql-data-source.js';
import type { SqlFlavour } from './tables.js';

/**
 * The runner with each statement in a span of the worker's current task: its parameterised text
 * and the rows it returned (never its parameters). While tracing is off, each call goes straight through.
 */
export function traceRunner(flavour: SqlFlavour, runner: StatementRunner): StatementRunner {
  const system = flavour === 'postgres' ? 'postgresql' : 'sqlite';
  return {
    all: <Row>(statement: Statement) => traceStatement(system, statement.sql, () => runner.all<Row>(statement)),
    arrays: (statement) => traceBatches(system, statement.sql, () => runner.arrays(statement)),
    close: () => runner.close(),
  };
}
