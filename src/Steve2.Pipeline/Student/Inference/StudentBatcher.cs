using System.Threading.Channels;
using Steve2.Pipeline.Student.Data;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// Gathers the model calls of concurrent episodes (and their agents) into batches: callers await
/// <see cref="GenerateAsync"/>; one worker thread takes every waiting request (up to the batch size), groups them
/// by sampling options, runs each group as one batch through the <see cref="StudentGenerator"/> (each answer within its
/// role's grammar: <see cref="AnswerGrammar"/>) and answers each caller. All torch calls happen on that thread. Dispose stops it.
/// </summary>
public sealed class StudentBatcher : IDisposable
{
    private sealed record Request(StudentPrompt Prompt, byte[] Image, SamplingOptions Sampling, Random Random, AnswerBranch? Branch, TaskCompletionSource<StudentReply> Done);

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StudentGenerator _generator;
    private readonly int _maxBatch;
    private readonly Thread _worker;
    private long _calls, _batches, _liveTensors;

    public StudentBatcher(StudentGenerator generator, int maxBatch)
    {
        _generator = generator;
        _maxBatch = maxBatch;
        _worker = new Thread(Work) { IsBackground = true, Name = "student-batcher" };
        _worker.Start();
    }

    /// <summary>Model calls answered and batches run so far (calls / batches: the mean batch size).</summary>
    public (long Calls, long Batches) Counts => (Interlocked.Read(ref _calls), Interlocked.Read(ref _batches));

    /// <summary>
    /// Tensors alive that the worker thread made, read after each batch (libtorch's per-thread count): flat from batch
    /// to batch when inference disposes what it makes (StudentMemoryTests). Tensors a finalizer freed never count as disposed.
    /// </summary>
    public long WorkerLiveTensors => Interlocked.Read(ref _liveTensors);

    /// <summary>The text of answer ids as the parsers read it (what <see cref="StudentReply.Text"/> holds).</summary>
    public string Decode(IReadOnlyList<int> ids) => _generator.TokenMap.Decode(ids);

    /// <summary>
    /// The student's answer (its text and ids) to one prompt with one image (RGB bytes, row by row), continuing <paramref name="branch"/>
    /// when one is given. A sampled answer draws from <paramref name="random"/>, the call's own stream, so it is the same
    /// whichever other calls share its batch (<see cref="StudentAsking.QuestionRandom"/> seeds one per question and attempt).
    /// </summary>
    public Task<StudentReply> GenerateAsync(StudentPrompt prompt, byte[] image, SamplingOptions sampling, Random random, CancellationToken ct, AnswerBranch? branch = null)
    {
        var done = new TaskCompletionSource<StudentReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Request(prompt, image, sampling, random, branch, done))) throw new ObjectDisposedException(nameof(StudentBatcher));
        return done.Task.WaitAsync(ct);
    }

    private void Work()
    {
        var pending = new List<Request>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            pending.Clear();
            while (pending.Count < _maxBatch && _queue.Reader.TryRead(out var r)) pending.Add(r);
            foreach (var group in pending.GroupBy(r => r.Sampling))
            {
                var requests = group.ToList();
                try
                {
                    var answers = _generator.GenerateAnswers(requests.Select(r => (_generator.Sequences.Prompt(r.Prompt), r.Image)).ToList(), group.Key,
                        requests.Select(r => r.Random).ToArray(), requests.Select(r => r.Branch).ToArray(), roles: requests.Select(r => (string?)r.Prompt.Role).ToArray());
                    for (int i = 0; i < requests.Count; i++) requests[i].Done.TrySetResult(new StudentReply(_generator.TokenMap.Decode(answers[i].Ids), answers[i]));
                }
                catch (Exception e)
                {
                    foreach (var r in requests) r.Done.TrySetException(e);
                }
                Interlocked.Exchange(ref _liveTensors, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                Interlocked.Add(ref _calls, requests.Count);
                Interlocked.Increment(ref _batches);
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Join();
    }
}

/// <summary>One answer of the batcher: its text (as the parsers read it) and the generated ids with the generator's picks.</summary>
public sealed record StudentReply(string Text, GeneratedAnswer Answer);
