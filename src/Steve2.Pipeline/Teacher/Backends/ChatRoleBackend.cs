using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// A role answered by a chat model behind any OpenAI-compatible endpoint, through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/>. The prompt gives the role, the output format, the
/// instruction, the state, the role's facts (as recorded, JSON), the experts' text and facts, recent memory and
/// the critic's feedback: everything the rule backend decides on, so a chat model can decide on the same; with
/// <see cref="RoleBackendOptions.SendImages"/> the agents' views and the experts' pictures follow as PNG image
/// parts (data URIs on the wire). The answer's first non-empty line (code fences and a leading "answer:" removed)
/// is the role's output, which the role parses and the critic checks.
/// A call that times out, meets HTTP 408/429/5xx or cannot connect is tried again up to
/// <see cref="RoleBackendOptions.Retries"/> times after a backoff (doubled each time; a 429's Retry-After wins);
/// then, or at once for any other failure, it throws <see cref="ChatBackendException"/>, and the role's runner lets
/// the rules answer that step. A failing endpoint is then left alone for a while (<see cref="ChatCircuitBreaker"/>).
/// </summary>
public sealed class ChatRoleBackend(IChatClient client, RoleBackendOptions options, ChatCircuitBreaker? breaker = null) : IRoleBackend
{
    private readonly ChatCircuitBreaker _breaker = breaker ?? ChatCircuitBreaker.Shared(options);

    public string Name => $"chat:{options.Model}";

    /// <summary>The name of the task's target image among a prompt's pictures.</summary>
    public const string TargetPicture = "target";

    /// <summary>A client for an OpenAI-compatible endpoint. The SDK's own retries are off: this backend retries, the critic re-asks.</summary>
    public static IChatClient CreateClient(RoleBackendOptions options)
    {
        options.Validate("chat");
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            // The backend's own per-attempt timeout fires first; this one only bounds a stuck transport.
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (!options.MaxCompletionTokensField) clientOptions.AddPolicy(new MaxTokensFieldPolicy(), PipelinePosition.PerCall);
        var openAi = new OpenAIClient(new ApiKeyCredential(options.ResolveApiKey()), clientOptions);
        return openAi.GetChatClient(options.Model).AsIChatClient();
    }

    public async Task<string> RespondAsync(RolePrompt prompt, CancellationToken cancellationToken)
    {
        if (_breaker.Refusal() is string refusal) throw new ChatBackendException($"{options.Endpoint}: {refusal}", null);
        try
        {
            string answer = await AskAsync(prompt, cancellationToken);
            _breaker.Succeeded();
            return answer;
        }
        catch (ChatBackendException e)
        {
            _breaker.Failed(e.Message);
            throw;
        }
    }

    private async Task<string> AskAsync(RolePrompt prompt, CancellationToken cancellationToken)
    {
        var messages = Messages(prompt, options.SendImages);
        var chatOptions = new ChatOptions { ModelId = options.Model, Temperature = options.Temperature, MaxOutputTokens = options.MaxTokens };
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? retryAfter;
            string failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Timeout);
                try
                {
                    ChatResponse response = await client.GetResponseAsync(messages, chatOptions, timeout.Token);
                    return prompt.Role == TeacherRole.Manager ? AnswerLines(response.Text) : FirstLine(response.Text);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    (bool transient, failure, retryAfter) = Classify(e, timeout.IsCancellationRequested, options.Timeout);
                    if (!transient)
                        throw new ChatBackendException($"{options.Endpoint}: {failure} (not retried)", e);
                    if (attempt >= options.Retries)
                        throw new ChatBackendException($"{options.Endpoint}: {attempt + 1} attempt(s) failed, the last: {failure}", e);
                }
            }
            TimeSpan wait = options.BackoffBefore(attempt);
            if (retryAfter is { } asked && asked > wait) wait = asked < RoleBackendOptions.MaxBackoff ? asked : RoleBackendOptions.MaxBackoff;
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>The conversation: the role's system text, then the user text and (when images are sent) the pictures, each after its label.</summary>
    public static List<ChatMessage> Messages(RolePrompt prompt, bool sendImages)
    {
        var user = new List<AIContent> { new TextContent(UserText(prompt)) };
        if (sendImages)
        {
            foreach (AgentView view in prompt.Views ?? [])
            {
                user.Add(new TextContent($"Agent {view.AgentId}'s view (first person, {view.Image.Width} x {view.Image.Height} pixels):"));
                user.Add(new DataContent(PngImages.Encode(view.Image), "image/png"));
            }
            foreach (NamedImage picture in prompt.Pictures ?? [])
            {
                user.Add(new TextContent(picture.Name == TargetPicture ? "The target image of the task:" : $"The expert's picture '{picture.Name}':"));
                user.Add(new DataContent(picture.Png, "image/png"));
            }
        }
        return [new ChatMessage(ChatRole.System, SystemText(prompt)), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>Whether a failed attempt is worth another (timeouts, HTTP 408/429/5xx, no connection), what failed, and the server's Retry-After.</summary>
    internal static (bool Transient, string What, TimeSpan? RetryAfter) Classify(Exception e, bool timedOut, TimeSpan timeout)
    {
        if (e is OperationCanceledException || timedOut)
            return (true, FormattableString.Invariant($"timed out after {timeout.TotalSeconds:0.###} s"), null);
        if (e is ClientResultException { Status: > 0 } http)
        {
            TimeSpan? retryAfter = null;
            if (http.GetRawResponse() is { } raw && raw.Headers.TryGetValue("Retry-After", out string? value)
                && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int seconds) && seconds >= 0)
                retryAfter = TimeSpan.FromSeconds(seconds);
            bool transient = http.Status is 408 or 429 or >= 500;
            return (transient, $"HTTP {http.Status}: {Short(http.Message)}", retryAfter);
        }
        if (e is ClientResultException or HttpRequestException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException)
            return (true, $"no answer from the endpoint: {Short(Innermost(e).Message)}", null);
        return (false, $"{e.GetType().Name}: {Short(e.Message)}", null);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>An error message's first line, at most 160 characters (the SDK's carry the whole response body).</summary>
    private static string Short(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 160 ? line : line[..160] + "...";
    }

    /// <summary>The answer lines of a manager's reply (one part per agent): every non-empty line, fences and "answer:" dropped.</summary>
    public static string AnswerLines(string reply) =>
        string.Join("\n", reply.Split('\n').Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal)).Select(FirstLine).Where(l => l.Length > 0));

    /// <summary>The answer line of a model's reply.</summary>
    public static string FirstLine(string reply)
    {
        foreach (string raw in reply.Split('\n'))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal)) continue;
            string line = raw.Trim().Trim('`').Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("answer:", StringComparison.OrdinalIgnoreCase)) line = line[7..].Trim();
            if (line.Length > 0) return line;
        }
        return "";
    }

    private static string SystemText(RolePrompt p) => p.Role switch
    {
        TeacherRole.Manager => "You are the manager of a team of agents in a Minecraft-like voxel world. You plan centrally and give every agent its part of the task.",
        TeacherRole.Conductor => "You are a conductor in a Minecraft-like voxel world. You execute your team's part of the task by giving one agent its next immediate goal.",
        _ => "You are an actor in a Minecraft-like voxel world. You turn your agent's current goal into exactly one code action of the skill library.",
    } + "\nAnswer format: " + p.OutputFormat + "\nAnswer with the answer only, no explanation.";

    private static string UserText(RolePrompt p)
    {
        var sb = new StringBuilder();
        sb.Append("Instruction: ").AppendLine(p.Instruction);
        sb.Append("State: ").AppendLine(p.StateText);
        sb.Append("Facts: ").AppendLine(JsonSerializer.Serialize(p.Facts, TrajectoryFormat.Json));
        if (p.ExpertText is not null) sb.Append("Expert knowledge: ").AppendLine(p.ExpertText);
        if (p.Expert is not null) sb.Append("Expert facts: ").AppendLine(JsonSerializer.Serialize(p.Expert, TrajectoryFormat.Json));
        if (p.Memory.Count > 0) sb.AppendLine("Recent memory:").AppendLine(string.Join("\n", p.Memory.Select(m => "- " + m)));
        foreach (string f in p.Feedback) sb.Append("Critic: ").AppendLine(f);
        return sb.ToString();
    }
}

/// <summary>A chat backend gave no answer: the endpoint failed for good, or after its retries. The rules answer the step.</summary>
public sealed class ChatBackendException(string message, Exception? inner) : Exception(message, inner);
