using System.Text.Json;

namespace RomanaAws.Cni.Tests.Integration;

/// <summary>What one plugin process did: exit code, stdout (the result or the error JSON), stderr.</summary>
internal sealed record PluginRun(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;

    public int Code => Json.GetProperty("code").GetInt32();

    public string Message => Json.GetProperty("msg").GetString()!;

    /// <summary>The pod's address (without prefix) from an ADD result.</summary>
    public string Address => Json.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];

    public string HostVeth => Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
}
