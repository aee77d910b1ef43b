using Steve2.Pipeline.Teacher;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The teacher configuration file: roles, the shared default, and errors that name the field and say what to write.</summary>
public sealed class TeacherConfigFileTests
{
    [Fact]
    public void Roles_take_the_defaults_fields_and_override_them_and_missing_roles_are_rules()
    {
        TeacherAgentOptions o = TeacherConfigFile.Parse("""
            {
              /* a comment */
              "default": { "base_url": "http://127.0.0.1:11434/v1", "model": "qwen2.5vl:7b", "temperature": 0.5, "timeout_seconds": 2.5,
                           "retries": 4, "backoff_seconds": 0.25, "images": true, "max_tokens": 200 },
              "manager": "chat",
              "conductor": { "model": "llama3.1:8b", "images": false, "cooldown_after_failures": 0 },
              "critic_retries": 0,
            }
            """);

        Assert.Equal(RoleBackendKind.Chat, o.Manager.Kind);
        Assert.Equal((new Uri("http://127.0.0.1:11434/v1"), "qwen2.5vl:7b", 0.5f, true, 200), (o.Manager.Endpoint, o.Manager.Model, o.Manager.Temperature, o.Manager.SendImages, o.Manager.MaxTokens));
        Assert.Equal((TimeSpan.FromSeconds(2.5), 4, TimeSpan.FromSeconds(0.25)), (o.Manager.Timeout, o.Manager.Retries, o.Manager.Backoff));
        Assert.Equal(("llama3.1:8b", false, 0.5f, 0), (o.Conductor.Model, o.Conductor.SendImages, o.Conductor.Temperature, o.Conductor.CooldownAfterFailures));
        Assert.Equal(3, o.Manager.CooldownAfterFailures);
        Assert.Equal(RoleBackendKind.Rules, o.Actor.Kind);
        Assert.Equal(0, o.MaxRetries);
        Assert.Equal("unused", o.Manager.ResolveApiKey());   // no api_key_env: a local server's placeholder, not OPENAI_API_KEY
        Assert.Equal("manager: chat qwen2.5vl:7b at http://127.0.0.1:11434/v1 (images); conductor: chat llama3.1:8b at http://127.0.0.1:11434/v1; actor: rules",
            TeacherConfigFile.Describe(o));
    }

    [Fact]
    public void The_key_is_read_from_the_named_variable()
    {
        string variable = "STEVE2_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8];
        System.Environment.SetEnvironmentVariable(variable, "sk-abc");
        TeacherAgentOptions o = TeacherConfigFile.Parse($$"""{ "actor": { "base_url": "https://api.example.com/v1", "model": "gpt-4o", "api_key_env": "{{variable}}" } }""");
        Assert.Equal("sk-abc", o.Actor.ResolveApiKey());
        Assert.Equal(RoleBackendKind.Rules, TeacherConfigFile.Parse("""{ "actor": { "backend": "rules" }, "manager": "rules" }""").Actor.Kind);
    }

    [Theory]
    [InlineData("""{ "actor": { "model": "m" } }""", "actor.base_url is missing")]
    [InlineData("""{ "actor": { "base_url": "127.0.0.1:8000", "model": "m" } }""", "actor.base_url must be an absolute http(s) URL")]
    [InlineData("""{ "default": { "base_url": "ftp://x/v1" }, "actor": { "model": "m" } }""", "default.base_url must be an absolute http(s) URL")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1" } }""", "actor.model is missing or empty")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "temprature": 1 } }""", "actor.temprature is not a known field")]
    [InlineData("""{ "actors": "rules" }""", "actors is not a known field (known: default, manager, conductor, actor, critic_retries)")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "temperature": "hot" } }""", "actor.temperature must be a number in 0..2 (got \"hot\")")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "retries": 2.5 } }""", "actor.retries must be a whole number in 0..10 (got 2.5)")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "timeout_seconds": 0 } }""", "actor.timeout_seconds must be a number in 0.001..3600")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "max_tokens": 0 } }""", "actor.max_tokens must be a whole number in 1..1000000")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "images": "yes" } }""", "actor.images must be true or false")]
    [InlineData("""{ "default": { "max_tokens_field": "tokens" }, "actor": { "base_url": "http://x/v1", "model": "m" } }""", "default.max_tokens_field must be \"max_tokens\" (local servers) or \"max_completion_tokens\"")]
    [InlineData("""{ "actor": { "backend": "gpt", "model": "m" } }""", "actor.backend must be \"rules\" or \"chat\"")]
    [InlineData("""{ "actor": "chat" }""", "actor is \"chat\" but there is no \"default\" endpoint object")]
    [InlineData("""{ "actor": 3 }""", "actor must be \"rules\", \"chat\" (the default endpoint) or an endpoint object")]
    [InlineData("""{ "critic_retries": -1 }""", "critic_retries must be a whole number in 0..10")]
    [InlineData("""{ "actor": { "base_url": "http://x/v1", "model": "m", "api_key_env": "STEVE2_SURELY_UNSET_VARIABLE" } }""", "actor.api_key_env names the environment variable STEVE2_SURELY_UNSET_VARIABLE, which is not set")]
    [InlineData("""{ "actor": """, "not valid JSON (line 1")]
    [InlineData("""[1]""", "the file must hold one JSON object")]
    public void A_mistake_names_the_file_and_the_field_and_what_to_write(string json, string expected)
    {
        var e = Assert.Throws<TeacherConfigException>(() => TeacherConfigFile.Parse(json, "teacher.json"));
        Assert.StartsWith("teacher config teacher.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_documented_example_is_valid()
    {
        TeacherAgentOptions o = TeacherConfigFile.Load(Path.Combine(AppContext.BaseDirectory, "Teacher", "teacher-config.example.json"));
        Assert.Equal("manager: chat qwen2.5vl:7b at http://127.0.0.1:11434/v1 (images); conductor: chat qwen2.5vl:7b at http://127.0.0.1:11434/v1; actor: rules",
            TeacherConfigFile.Describe(o));
        Assert.Equal((2, 256, 2), (o.MaxRetries, o.Manager.MaxTokens, o.Conductor.Retries));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<TeacherConfigException>(() => TeacherConfigFile.Load("/nonexistent/steve2-teacher.json"));
        Assert.Contains("/nonexistent/steve2-teacher.json: the file does not exist", e.Message);
    }
}
