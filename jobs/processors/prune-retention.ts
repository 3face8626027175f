import type { Processor } from "~/.server/queue/worker";
import { pruneRetention } from "~/.server/services/ops/prune-retention";

export const pruneRetentionJob: Processor<"pruneRetention"> = async (_payload, { now }) => pruneRetention(now);
