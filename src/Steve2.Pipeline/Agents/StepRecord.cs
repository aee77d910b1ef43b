using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Agents;

/// <summary>
/// One recorded step. The student-visible part (role, instruction, image, state text, memory, facts, action
/// text, code action, outcome) is kept apart from <see cref="ExpertContext"/>, which only the teacher saw.
/// </summary>
/// <param name="Role">"manager", "conductor" or "actor".</param>
/// <param name="AgentId">The agent that acted (the manager and conductors plan for agents; their steps use the agent they planned for).</param>
/// <param name="Instruction">The instruction this role was given (the task for the manager, a sub-task below it).</param>
/// <param name="Image">The acting agent's egocentric image before the step.</param>
/// <param name="StateText">The describer's text of the state.</param>
/// <param name="ActionText">The role's output as text (a plan, a sub-task, or a text action).</param>
/// <param name="Code">The code action chosen (actors), or null for planning roles.</param>
/// <param name="Outcome">The outcome message, success flag and items gained (actors).</param>
/// <param name="ExpertContext">What the experts told the teacher for this step (text, renders as PNG, and the facts the rules took from them), or null.</param>
/// <param name="Memory">The role's memory entries the decision was given (empty when none).</param>
/// <param name="Facts">The teacher's own facts the decision was a function of (Teacher/Decisions/DECISIONS.md); null for agents that have none.</param>
/// <param name="Backend">The backend whose answer this is ("rules", "chat:MODEL"); null for agents without backends.</param>
/// <param name="Fallback">Why the rules answered instead of the role's own backend (a chat model's garbage, timeouts, errors), or null.</param>
public sealed record StepRecord(
    int Iteration,
    string Role,
    int AgentId,
    string Instruction,
    RgbImage Image,
    string StateText,
    string ActionText,
    CodeAction? Code,
    StepOutcome? Outcome,
    ExpertContext? ExpertContext,
    IReadOnlyList<string>? Memory = null,
    RoleFacts? Facts = null,
    string? Backend = null,
    string? Fallback = null);
