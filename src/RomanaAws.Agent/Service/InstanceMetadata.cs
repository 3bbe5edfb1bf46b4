namespace RomanaAws.Agent.Service;

/// <summary>This node's instance id from the EC2 instance metadata service (IMDSv2: a session token first).</summary>
public static class InstanceMetadata
{
    private static readonly Uri Base = new("http://169.254.169.254/latest/");

    public static async Task<string> InstanceIdAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(Base, "api/token"));
        tokenRequest.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "60");
        using var tokenResponse = await http.SendAsync(tokenRequest, cancellationToken);
        var token = await tokenResponse.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken);
        using var idRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(Base, "meta-data/instance-id"));
        idRequest.Headers.Add("X-aws-ec2-metadata-token", token);
        using var idResponse = await http.SendAsync(idRequest, cancellationToken);
        return (await idResponse.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken)).Trim();
    }
}
