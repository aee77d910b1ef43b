namespace Steve2.Pipeline.Teacher;

/// <summary>
/// The teacher's settings: a backend per role (rules by default, or an OpenAI-compatible chat endpoint),
/// how many agents a conductor organises, how often the critic lets a role retry an answer it rejected,
/// and the world's reach used to decide when to walk before placing or mining.
/// </summary>
public sealed record TeacherAgentOptions
{
    public RoleBackendOptions Manager { get; init; } = RoleBackendOptions.Rules;
    public RoleBackendOptions Conductor { get; init; } = RoleBackendOptions.Rules;
    public RoleBackendOptions Actor { get; init; } = RoleBackendOptions.Rules;

    /// <summary>Agents per team; each team has one conductor.</summary>
    public int AgentsPerTeam { get; init; } = 2;

    /// <summary>Times the critic asks a role again after an unparseable or infeasible answer, before the rule backend answers.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Reach from the eye to a block's nearest point (the world's; ACTIONS.md: 4.5).</summary>
    public double Reach { get; init; } = 4.5;

    /// <summary>Edge in pixels of the expert's building renders kept in the expert context.</summary>
    public int RenderSize { get; init; } = 128;

    /// <summary>Throws with what to change when a setting is out of range.</summary>
    public TeacherAgentOptions Validated()
    {
        Manager.Validate("manager");
        Conductor.Validate("conductor");
        Actor.Validate("actor");
        if (AgentsPerTeam is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(AgentsPerTeam), AgentsPerTeam, "AgentsPerTeam must be in 1..8.");
        if (MaxRetries is < 0 or > 10) throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be in 0..10.");
        if (Reach is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(Reach), Reach, "Reach must be in 1..16 (the world's reach, 4.5 by default).");
        if (RenderSize is < 32 or > 1024) throw new ArgumentOutOfRangeException(nameof(RenderSize), RenderSize, "RenderSize must be in 32..1024 (the host's render limits).");
        return this;
    }
}
