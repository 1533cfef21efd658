import {
  actionBodyDefinitions,
  actionResponses,
  actions,
  triggerBodyDefinitions,
  triggerResponses,
  triggers,
} from './schema/operations.js';

export type OperationKind = 'action' | 'trigger';

/**
 * Each kind's three tables: the operation, its responses and the links from its bodies to
 * definitions. Actions and triggers have the same shape under their own names, so a statement
 * written once serves both through this map.
 */
export const operationTables = {
  action: { operations: actions, responses: actionResponses, bodyDefinitions: actionBodyDefinitions },
  trigger: { operations: triggers, responses: triggerResponses, bodyDefinitions: triggerBodyDefinitions },
} satisfies Record<OperationKind, unknown>;
