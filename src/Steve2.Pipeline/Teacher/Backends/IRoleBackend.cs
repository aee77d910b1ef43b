namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>Answers one role's questions with one text (a plan, a directive or a code action line).</summary>
public interface IRoleBackend
{
    /// <summary>"rules" or "chat:MODEL".</summary>
    string Name { get; }

    Task<string> RespondAsync(RolePrompt prompt, CancellationToken cancellationToken);
}
