/**
 * What the MCP tests spawn: `blue mcp` through the CLI's main, on the real process streams, with a
 * fixed clock so dialogue ids are known. Run with `node --import tsx` (bin/ may run compiled code).
 */
import { main, processContext } from '../../src/cli/main.ts';
import { fixedClock } from '../../src/core/index.ts';

process.exitCode = await main(['mcp'], { ...processContext(), clock: fixedClock('2026-11-21T10:00:00Z') });
