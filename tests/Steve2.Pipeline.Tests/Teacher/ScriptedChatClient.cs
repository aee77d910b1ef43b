using Microsoft.Extensions.AI;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>A fake chat endpoint: answers each request with a function of the role's system text and the user text; keeps every request.</summary>
internal sealed class ScriptedChatClient(Func<string, string, int, string> answer) : IChatClient
{
    private int _calls;

    public List<(string System, string User)> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        string system = list.First(m => m.Role == ChatRole.System).Text, user = list.First(m => m.Role == ChatRole.User).Text;
        lock (Requests) Requests.Add((system, user));
        string reply = answer(system, user, Interlocked.Increment(ref _calls));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The teacher does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }
}
