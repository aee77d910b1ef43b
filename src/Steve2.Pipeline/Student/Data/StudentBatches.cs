using Steve2.Pipeline.Student.Model;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Data;

/// <summary>Tensors of a training batch: right-padded sequences (prompt, answer, eos), their key mask, the targets and the images.</summary>
public sealed record StudentBatch(Tensor Ids, Tensor KeyMask, Tensor Targets, Tensor Images) : IDisposable
{
    /// <summary>Target value of positions that are not scored (the prompt and the padding).</summary>
    public const long Ignore = -100;

    public void Dispose()
    {
        Ids.Dispose();
        KeyMask.Dispose();
        Targets.Dispose();
        Images.Dispose();
    }
}

public static class StudentBatches
{
    /// <summary>
    /// A teacher-forced batch: each row is the prompt then the answer and eos, right-padded; the target at position t
    /// is the token at t + 1 where that token belongs to the answer (eos included), <see cref="StudentBatch.Ignore"/> elsewhere.
    /// In the decoder's ids (<paramref name="map"/>; null: the student's own ids, the from-scratch decoder).
    /// </summary>
    public static StudentBatch Make(StudentDataset data, StudentSequences sequences, IReadOnlyList<StudentExample> examples, Device device, StudentTokenMap? map = null)
    {
        var rows = examples.Select(e => (Prompt: sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), Answer: sequences.Answer(e.Action)))
            .Select(r => map is null ? r : (Prompt: map.Prompt(r.Prompt), Answer: map.Answer(r.Answer))).ToList();
        int b = rows.Count, width = rows.Max(r => r.Prompt.Length + r.Answer.Length);
        var ids = new long[b * width];
        var real = new bool[b * width];
        var targets = Enumerable.Repeat(StudentBatch.Ignore, b * width).ToArray();
        for (int i = 0; i < b; i++)
        {
            int[] seq = [.. rows[i].Prompt, .. rows[i].Answer];
            for (int j = 0; j < seq.Length; j++)
            {
                ids[i * width + j] = seq[j];
                real[i * width + j] = true;
                if (j >= rows[i].Prompt.Length) targets[i * width + j - 1] = seq[j];
            }
        }
        return new StudentBatch(tensor(ids, [b, width]).to(device), tensor(real, [b, width]).to(device), tensor(targets, [b, width]).to(device),
            Images(examples.Select(e => data.Images[e.ImageIndex]).ToList(), data.ImageSize, device));
    }

    /// <summary>RGB images (bytes row by row) as a [B, 3, S, S] float tensor with values 0..1.</summary>
    public static Tensor Images(IReadOnlyList<byte[]> images, int size, Device device)
    {
        var bytes = new byte[images.Count * size * size * 3];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Length != size * size * 3) throw new ArgumentException($"An image of {images[i].Length} bytes is not {size}x{size} RGB.");
            images[i].CopyTo(bytes, i * size * size * 3);
        }
        using var raw = tensor(bytes, [images.Count, size, size, 3]);
        return raw.permute(0, 3, 1, 2).to(ScalarType.Float32).div(255.0).contiguous().to(device);
    }
}
