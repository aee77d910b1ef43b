using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The chat backend's retries and its circuit breaker, on a client that fails as a dead endpoint does, and a clock the test moves.</summary>
public sealed class ChatRoleBackendTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly RolePrompt Prompt = new(TeacherRole.Actor, 0, "wait", "state", null, "one code action", [], [],
        new ActorFacts(new Pose(new Vec3(0.5, 10, 0.5), 0, 0), 4.5, new Dictionary<string, int>(), null));

    [Fact]
    public async Task A_dead_endpoint_is_retried_then_left_alone_for_the_cooldown_and_asked_again_after_it()
    {
        int calls = 0;
        var client = new ScriptedChatClient((_, _, _) => { Interlocked.Increment(ref calls); throw new HttpRequestException("Connection refused"); });
        var clock = new ManualClock();
        var options = RoleBackendOptions.Chat(new Uri("http://127.0.0.1:9/v1"), "m") with { Retries = 1, Backoff = TimeSpan.Zero };
        var backend = new ChatRoleBackend(client, options, new ChatCircuitBreaker(2, TimeSpan.FromSeconds(30), clock));

        var first = await Assert.ThrowsAsync<ChatBackendException>(() => backend.RespondAsync(Prompt, CancellationToken.None));
        Assert.Contains("2 attempt(s) failed, the last: no answer from the endpoint: Connection refused", first.Message);
        await Assert.ThrowsAsync<ChatBackendException>(() => backend.RespondAsync(Prompt, CancellationToken.None));
        Assert.Equal(4, calls);   // two questions, each tried twice

        clock.Now += TimeSpan.FromSeconds(29);
        var cooling = await Assert.ThrowsAsync<ChatBackendException>(() => backend.RespondAsync(Prompt, CancellationToken.None));
        Assert.Contains("not asked, cooling down", cooling.Message);
        Assert.Contains("Connection refused", cooling.Message);
        Assert.Equal(4, calls);

        clock.Now += TimeSpan.FromSeconds(2);
        await Assert.ThrowsAsync<ChatBackendException>(() => backend.RespondAsync(Prompt, CancellationToken.None));
        Assert.Equal(6, calls);
    }

    [Fact]
    public void Backends_of_one_endpoint_and_model_share_a_breaker()
    {
        var options = RoleBackendOptions.Chat(new Uri("http://127.0.0.1:9/v1"), "shared-" + Guid.NewGuid().ToString("N"));
        Assert.Same(ChatCircuitBreaker.Shared(options), ChatCircuitBreaker.Shared(options with { Temperature = 1 }));
        Assert.NotSame(ChatCircuitBreaker.Shared(options), ChatCircuitBreaker.Shared(options with { Model = "other-" + Guid.NewGuid().ToString("N") }));
        ChatCircuitBreaker breaker = ChatCircuitBreaker.Shared(options with { CooldownAfterFailures = 1 });
        breaker.Failed("HTTP 503");
        Assert.Contains("the last: HTTP 503", breaker.Refusal());
    }

    [Fact]
    public async Task Only_transient_failures_are_retried_and_the_callers_cancel_is_not_a_failure()
    {
        int calls = 0;
        var client = new ScriptedChatClient((_, _, _) => { Interlocked.Increment(ref calls); throw new InvalidOperationException("malformed response"); });
        var backend = new ChatRoleBackend(client, RoleBackendOptions.Chat(new Uri("http://127.0.0.1:9/v1"), "m") with { Retries = 3, Backoff = TimeSpan.Zero },
            new ChatCircuitBreaker(3, TimeSpan.FromSeconds(30)));

        var e = await Assert.ThrowsAsync<ChatBackendException>(() => backend.RespondAsync(Prompt, CancellationToken.None));
        Assert.Contains("InvalidOperationException: malformed response (not retried)", e.Message);
        Assert.Equal(1, calls);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.RespondAsync(Prompt, new CancellationToken(canceled: true)));
        Assert.Equal(1, calls);
    }
}
