using System.Net;
using System.Text;
using System.Text.Json;

namespace RomanaAws.VpcSim.Tests.Admin;

/// <summary>Malformed admin requests get a JSON 400 naming the problem, never an empty 500.</summary>
public sealed class AdminApiInputTests
{
    [Theory]
    [InlineData("faults", "{bad json")]
    [InlineData("faults", "{\"latencyMs\": 1e400}")]
    [InlineData("faults", "{\"latencyMs\": 1e15}")]
    [InlineData("faults", "{\"failActions\": {\"DescribeVpcs\": \"\\u0001\"}}")]
    [InlineData("instances/i-0a000000000000002/health", "{\"failing\": \"x\"}")]
    [InlineData("instances/i-0a000000000000002/status", "[1, 2]")]
    public async Task Put_MalformedBody_Json400WithMessage(string path, string body)
    {
        await using var sim = await SimFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(path, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("BadRequest", error.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("message").GetString()));
        Assert.Equal(TimeSpan.Zero, sim.Simulator.Control.Faults.Latency);
    }
}
