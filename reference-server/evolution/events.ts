// Turns what the run does into the seed's server events (E4 channels, E12 value ranges):
// evolution_update → evolution (E5 filters), agent_update → agents, mutation log → logs,
// regression alert → alerts, control/rollback log → control and logs.
import { passes } from './channels.js';
import type { Evo } from './context.js';
import type { Body } from './envelope.js';
import type { StepReport } from './run.js';
import type { Session } from './session.js';

export class RunPublisher {
  private alertSeq = 0;

  constructor(private readonly evo: Evo) {}

  /** evolution_update.data (seed "Evolution Update") */
  private update(r: StepReport): Body {
    return {
      data: {
        generation: r.generation,
        average_fitness: r.averageFitness,
        // evo-fitness-out-of-range (E12, C5): percent instead of [0, 1]
        best_fitness: this.evo.has('evo-fitness-out-of-range') ? r.bestFitness * 100 : r.bestFitness,
        improvement: r.improvement,
        agents_evolved: r.agentsEvolved,
        mutations_applied: r.mutations,
        crossovers: r.crossovers,
      },
    };
  }

  /** E5: only updates meeting every filter of the subscriber */
  evolutionUpdate(r: StepReport): void {
    const { hub } = this.evo;
    if (!hub.wanted('evolution')) return;
    hub.publish(['evolution'], 'evolution_update', this.update(r), (s: Session) =>
      passes(s.filters, r.generation, r.bestFitness),
    );
  }

  step(r: StepReport): void {
    const { hub } = this.evo;
    this.evolutionUpdate(r);
    if (hub.wanted('agents')) for (const agent of r.agents) hub.publish(['agents'], 'agent_update', { data: agent });
    if (r.mutation && hub.wanted('logs')) {
      hub.publish(['logs'], 'log', {
        level: 'info',
        data: {
          message: `Mutation applied to ${r.mutation.agentId}`,
          details: {
            mutation_type: 'parameter_adjustment',
            gene_modified: r.mutation.gene,
            old_value: r.mutation.oldValue,
            new_value: r.mutation.newValue,
            generation: r.generation,
          },
        },
      });
    }
    if (r.regression) this.alert(r.generation, r.regression);
  }

  private alert(generation: number, reg: NonNullable<StepReport['regression']>): void {
    this.alertSeq++;
    const { hub, has } = this.evo;
    if (!hub.wanted('alerts')) return;
    const drop = reg.previous > 0 ? (reg.previous - reg.current) / reg.previous : 0;
    const severity = drop >= 0.15 ? 'critical' : drop >= 0.05 ? 'error' : 'warning';
    hub.publish(['alerts'], 'alert', {
      // evo-alert-bad-severity (E12, C5): a severity outside warning|error|critical
      severity: has('evo-alert-bad-severity') ? 'info' : severity,
      data: {
        alert_id: `alert-${this.alertSeq}`,
        title: 'Fitness Regression Detected',
        message: `Generation ${generation} fitness dropped by ${(drop * 100).toFixed(1)}%`,
        details: {
          previous_fitness: reg.previous,
          current_fitness: reg.current,
          affected_agents: reg.affected,
        },
        recommended_action: 'rollback',
      },
    });
  }

  /** E4: control actions are logged to `control` subscribers (and `logs` ones, E4 MAY) */
  controlLog(message: string, details: Body): void {
    const { hub } = this.evo;
    if (!hub.wanted('control') && !hub.wanted('logs')) return;
    hub.publish(['control', 'logs'], 'log', { level: 'info', data: { message, details } });
  }
}
