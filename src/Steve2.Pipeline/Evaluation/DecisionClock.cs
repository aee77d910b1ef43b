using System.Diagnostics;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// An environment that times its agent: every <see cref="Step"/> ends one agent-iteration's decision, so the time from
/// the previous step's end (or from <see cref="Start"/>) to this step's beginning is everything the agent did for that
/// iteration: all its role decisions (manager replans, conductor, actor, retries), its expert calls, the critic's
/// review and recording. The world's own step time is kept apart. Used by <c>steve2 iteration-bench</c>.
/// </summary>
public sealed class DecisionClock(IEnvironment inner) : IEnvironment
{
    private readonly Stopwatch _clock = new();
    private double _lastEnd;

    /// <summary>Milliseconds before each step; the first includes the episode's start (planning, opening the map).</summary>
    public List<double> DecisionMs { get; } = [];

    /// <summary>Milliseconds inside each world step.</summary>
    public List<double> WorldMs { get; } = [];

    public EpisodeSpec Spec => inner.Spec;
    public int AgentCount => inner.AgentCount;
    public IWorldQuery World => inner.World;

    /// <summary>Starts the clock (just before the agent's episode begins).</summary>
    public void Start()
    {
        _clock.Restart();
        _lastEnd = 0;
    }

    public Observation Observe(int agentId) => inner.Observe(agentId);

    public ActionOutcome Step(int agentId, CodeAction action)
    {
        double begin = _clock.Elapsed.TotalMilliseconds;
        DecisionMs.Add(begin - _lastEnd);
        var outcome = inner.Step(agentId, action);
        _lastEnd = _clock.Elapsed.TotalMilliseconds;
        WorldMs.Add(_lastEnd - begin);
        return outcome;
    }

    public void Dispose() => inner.Dispose();
}
