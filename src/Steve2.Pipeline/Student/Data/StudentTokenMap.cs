using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Model.Pretrained;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// From the student's sequences (<see cref="StudentSequences"/>: the compact vocabulary's ids, segment budgets applied)
/// to the ids the decoder reads and writes. With the from-scratch decoder they are the same ids. With a pretrained
/// decoder (<see cref="PretrainedDecoder"/>) the sequence is written again in the LM's own tokens: each run of word
/// pieces is decoded to its text (exact: the compact tokenizer falls back to bytes) and encoded by the LM's tokenizer;
/// the role and segment markers become their names as text ("&lt;state&gt;"), bos the LM's bos (if it has one), eos the
/// LM's eos, pad nothing, and each image slot the LM's image id (one past its vocabulary). An answer is at most
/// <see cref="StudentConfig.MaxActionTokens"/> - 1 LM tokens, then eos.
/// </summary>
public abstract class StudentTokenMap
{
    /// <summary>The decoder's id that ends an answer.</summary>
    public abstract int Eos { get; }

    /// <summary>A prompt of <see cref="StudentSequences.Prompt(int, IReadOnlyList{int}, IReadOnlyList{int}, IReadOnlyList{int})"/> in the decoder's ids.</summary>
    public abstract int[] Prompt(int[] studentPrompt);

    /// <summary>An answer of <see cref="StudentSequences.Answer"/> (ending in eos) in the decoder's ids (ending in eos).</summary>
    public abstract int[] Answer(int[] studentAnswer);

    /// <summary>The text of generated decoder ids (eos and special tokens left out).</summary>
    public abstract string Decode(IReadOnlyList<int> ids);

    /// <summary>Decoder ids an answer never holds (pad, bos, the role and segment markers, the image slot): the generator
    /// never writes them, whatever the model's distribution (a copy head could point at an image slot).</summary>
    public abstract IReadOnlyList<int> NeverWritten { get; }

    /// <summary>The map for <paramref name="model"/>'s decoder.</summary>
    public static StudentTokenMap For(StudentModel model, StudentSequences sequences) =>
        model.Decoder is PretrainedDecoder p ? new PretrainedTokens(sequences, p) : new SameTokens(sequences);

    private sealed class SameTokens(StudentSequences sequences) : StudentTokenMap
    {
        public override int Eos => sequences.Eos;
        public override int[] Prompt(int[] studentPrompt) => studentPrompt;
        public override int[] Answer(int[] studentAnswer) => studentAnswer;
        public override string Decode(IReadOnlyList<int> ids) => StudentVocabulary.Decode(sequences.Tokenizer, ids);

        public override IReadOnlyList<int> NeverWritten { get; } =
            Enumerable.Range(0, sequences.Tokenizer.FirstPieceId).Where(id => id != sequences.Eos).ToArray();
    }

    private sealed class PretrainedTokens(StudentSequences sequences, PretrainedDecoder decoder) : StudentTokenMap
    {
        private readonly CompactBpeTokenizer _compact = sequences.Tokenizer;
        private readonly int _imageId = sequences.ImageId;

        public override int Eos => decoder.Config.EosId;

        public override int[] Prompt(int[] studentPrompt) => Transcribe(studentPrompt);

        public override int[] Answer(int[] studentAnswer)
        {
            int[] ids = Transcribe(studentAnswer.Where(id => id != sequences.Eos).ToArray());
            return [.. ids.Take(sequences.Config.MaxActionTokens - 1), Eos];
        }

        public override string Decode(IReadOnlyList<int> ids) => StudentVocabulary.PlainText(decoder.Tokenizer.Decode(ids.Where(id => id != Eos)));

        // The LM's head has no column for the image slot (one past its vocabulary); its own specials are its tokenizer's.
        public override IReadOnlyList<int> NeverWritten => [];

        private int[] Transcribe(int[] ids)
        {
            var output = new List<int>(ids.Length + 8);
            var run = new List<int>();
            foreach (int id in ids)
            {
                if (id >= _compact.FirstPieceId)
                {
                    run.Add(id);
                    continue;
                }
                Flush();
                string name = _compact.Specials.Names[id];
                if (id == _imageId) output.Add(decoder.ImageTokenId);
                else if (name == SpecialTokens.Eos) output.Add(Eos);
                else if (name == SpecialTokens.Bos) { if (decoder.Config.BosId is int bos) output.Add(bos); }
                else if (name != SpecialTokens.Pad) output.AddRange(decoder.Tokenizer.Encode(name));
            }
            Flush();
            return output.ToArray();

            void Flush()
            {
                if (run.Count == 0) return;
                output.AddRange(decoder.Tokenizer.Encode(_compact.Decode(run)));
                run.Clear();
            }
        }
    }
}
