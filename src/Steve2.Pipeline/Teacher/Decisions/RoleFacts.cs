using System.Text.Json.Serialization;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// What a role's decision depends on besides its instruction, its state text and its memory, as data: the
/// part of the team's knowledge and of the critic's corrections that the rules read (DECISIONS.md). Built by
/// <see cref="TeacherPerception"/> from the team's own perception (never from the experts' output, which is
/// <see cref="ExpertFacts"/>), recorded with every step (steps.jsonl <c>facts</c>), and the only input of
/// the rule backend besides the prompt's text: so a recorded step can be decided again, and a state that
/// someone else reached (DAgger) can be labelled without acting in it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "role")]
[JsonDerivedType(typeof(ManagerFacts), "manager")]
[JsonDerivedType(typeof(ConductorFacts), "conductor")]
[JsonDerivedType(typeof(ActorFacts), "actor")]
public abstract record RoleFacts;
