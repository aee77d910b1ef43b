namespace Steve2.Pipeline.Environment;

/// <summary>
/// Steps many independent episodes in parallel on all cores (Parallel.For over episodes; each episode
/// is stepped by one thread only, as <see cref="IEnvironment"/> requires). Results are in episode order
/// and do not depend on the degree of parallelism.
/// </summary>
public static class ParallelEpisodeRunner
{
    /// <summary>
    /// Runs <paramref name="episodes"/> episodes: for each, creates its environment from
    /// <paramref name="specOf"/>, then for <paramref name="steps"/> iterations asks <paramref name="policy"/>
    /// for every agent's action and steps it. Returns every episode's outcomes (step-major, agent-minor).
    /// </summary>
    /// <param name="factory">Makes the episodes.</param>
    /// <param name="episodes">How many episodes.</param>
    /// <param name="steps">Iterations per episode (each agent acts once per iteration).</param>
    /// <param name="specOf">The spec of episode i.</param>
    /// <param name="policy">The action for (episode, iteration, agent, last observation of that agent).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for serial.</param>
    public static IReadOnlyList<IReadOnlyList<ActionOutcome>> Run(IEnvironmentFactory factory, int episodes, int steps,
        Func<int, EpisodeSpec> specOf, Func<int, int, int, Observation, CodeAction> policy, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(episodes);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var results = new IReadOnlyList<ActionOutcome>[episodes];
        Parallel.For(0, episodes, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, e =>
        {
            using var environment = factory.Create(specOf(e));
            var last = Enumerable.Range(0, environment.AgentCount).Select(environment.Observe).ToArray();
            var outcomes = new List<ActionOutcome>(steps * environment.AgentCount);
            for (int s = 0; s < steps; s++)
            for (int a = 0; a < environment.AgentCount; a++)
            {
                var outcome = environment.Step(a, policy(e, s, a, last[a]));
                last[a] = outcome.Observation;
                outcomes.Add(outcome);
            }
            results[e] = outcomes;
        });
        return results;
    }
}
