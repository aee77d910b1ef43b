using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Student.Model;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// What the student reads for one decision, as text: the role, the instruction, the describer's state text and the
/// memory (<see cref="StudentMemory"/>); the image goes in separately. Never the teacher's facts or expert context.
/// </summary>
public sealed record StudentPrompt(string Role, string Instruction, string StateText, string Memory);

/// <summary>
/// Token sequences of the student: <c>[bos, role, &lt;instruction&gt; ..., &lt;state&gt; ..., &lt;memory&gt; ...,
/// &lt;image&gt; x N, &lt;action&gt;]</c> then the answer's tokens and <c>eos</c>. Each text segment keeps its first
/// tokens up to the config's budget.
/// </summary>
public sealed class StudentSequences(CompactBpeTokenizer tokenizer, StudentConfig config)
{
    public CompactBpeTokenizer Tokenizer => tokenizer;
    public StudentConfig Config => config;
    public int Eos => tokenizer.Specials.IdOf(SpecialTokens.Eos);
    public int ImageId => tokenizer.Specials.IdOf(StudentVocabulary.Image);

    /// <summary>The prompt's ids from already-encoded segments (the dataset keeps them whole; budgets apply here).</summary>
    public int[] Prompt(int roleId, IReadOnlyList<int> instruction, IReadOnlyList<int> state, IReadOnlyList<int> memory)
    {
        var s = tokenizer.Specials;
        var ids = new List<int>(config.MaxPromptTokens) { s.IdOf(SpecialTokens.Bos), roleId, s.IdOf(StudentVocabulary.Instruction) };
        ids.AddRange(instruction.Take(config.MaxInstructionTokens));
        ids.Add(s.IdOf(StudentVocabulary.State));
        ids.AddRange(state.Take(config.MaxStateTokens));
        ids.Add(s.IdOf(StudentVocabulary.Memory));
        ids.AddRange(memory.Take(config.MaxMemoryTokens));
        ids.AddRange(Enumerable.Repeat(ImageId, config.Vision.Tokens));
        ids.Add(s.IdOf(StudentVocabulary.Action));
        return ids.ToArray();
    }

    /// <summary>The prompt's ids from text.</summary>
    public int[] Prompt(StudentPrompt p) => Prompt(tokenizer.Specials.IdOf(StudentVocabulary.RoleToken(p.Role)),
        StudentVocabulary.Encode(tokenizer, p.Instruction), StudentVocabulary.Encode(tokenizer, p.StateText),
        StudentVocabulary.Encode(tokenizer, p.Memory));

    /// <summary>The answer's ids: its first tokens (budget less one) and eos.</summary>
    public int[] Answer(IReadOnlyList<int> action) => [.. action.Take(config.MaxActionTokens - 1), Eos];
}
