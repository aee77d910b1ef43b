using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Evaluation;

/// <summary>The agents the harness knows by name: the teacher with the experts, and without them (the ablation). The student joins next.</summary>
public static class AgentCatalog
{
    public const string Teacher = "teacher";
    public const string TeacherNoExpert = "teacher-no-expert";

    /// <summary>The student (Student/STUDENT.md): needs a checkpoint, so it is not among the default <see cref="Names"/>.</summary>
    public const string Student = StudentAgent.AgentName;

    /// <summary>The teachers: the default agents of a run.</summary>
    public static IReadOnlyList<string> Names { get; } = [Teacher, TeacherNoExpert];

    /// <summary>Every agent the harness can run.</summary>
    public static IReadOnlyList<string> All { get; } = [Teacher, TeacherNoExpert, Student];

    /// <summary>Whether the agent calls the experts (so the run needs an expert host).</summary>
    public static bool NeedsExperts(string name) => name == Teacher;

    /// <summary>Checks a name; an unknown one throws ArgumentException listing the valid ones.</summary>
    public static string Check(string name) => All.Contains(name)
        ? name
        : throw new ArgumentException($"unknown agent '{name}'. Agents: {string.Join(", ", All)}.");

    /// <summary>
    /// The agent as the harness runs it (a fresh instance per episode). <paramref name="experts"/> is
    /// required for agents that <see cref="NeedsExperts"/>; the others never get it.
    /// </summary>
    /// <param name="student">The student's checkpoint and inference settings (default: the shipped checkpoint, greedy, device auto);
    /// the model is loaded once here and its batcher shared by every episode of the run.</param>
    public static AgentEntry Create(string name, ExpertClients? experts, TeacherAgentOptions? options = null, StudentAgentOptions? student = null)
    {
        TeacherAgentOptions teacher = (options ?? new TeacherAgentOptions()).Validated();
        if (Check(name) == Student)
        {
            var policy = StudentPolicy.Load(student ?? new StudentAgentOptions());
            return new AgentEntry(Student, () => new StudentAgent(policy));
        }
        return name switch
        {
            Teacher => new AgentEntry(Teacher, () => new TeacherAgent(teacher,
                experts ?? throw new InvalidOperationException("The teacher needs the experts: open an ExpertConnection first."))),
            _ => new AgentEntry(TeacherNoExpert, () => new TeacherAgent(teacher, experts: null)),
        };
    }
}
