using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Security;
using RomanaAws.KubeSim;

namespace RomanaAws.Controller.Tests.Security;

/// <summary>
/// The controller's API as production runs it (TLS, TokenReview), attacked the ways issue 15 lists: no token, another
/// node's token, an expired token, a forged token, a forged certificate, an oversized body, a flood. Each is refused
/// with its status and changes nothing; agents keep working through a certificate rotation.
/// </summary>
public sealed class SecureApiTests
{
    private static readonly string Master = SecureApiRig.Nodes[0].Instance;

    private static readonly string NodeA1 = SecureApiRig.Nodes[1].Instance;

    private static async Task<(HttpStatusCode Status, string Error)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var error = text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("error", out var e) ? e.GetString()! : text;
        return (response.StatusCode, error);
    }

    private static object Claim => new { owner = "default" };

    [Fact]
    public async Task Refusals_NoToken_OtherNode_Expired_Forged_WrongAudience_EachWithItsStatus_NothingChanged()
    {
        await using var rig = await SecureApiRig.StartAsync();
        var before = (await rig.StateAsync()).Blocks.Count;

        // No token at all: 401 with a Bearer challenge; the probes stay open.
        using (var anonymous = rig.Client(null))
        {
            using var response = await anonymous.PostAsJsonAsync($"v1/agents/{Master}/blocks", Claim);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("no bearer token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/routes")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("readyz")).StatusCode);
        }

        // The agent of master-a claims for node-a1's instance, and reads its state: 403 naming both.
        var (agentHttp, _) = rig.Agent("master-a", rig.AgentToken("master-a"));
        using (agentHttp)
        {
            var (status, error) = await SendAsync(agentHttp, HttpMethod.Post, $"v1/agents/{NodeA1}/blocks", Claim);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains($"of node master-a ({Master}) may act only for its own instance, not {NodeA1}", error, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(agentHttp, HttpMethod.Get, $"v1/agents/{NodeA1}")).Status);

            // Nor may an agent read the operators' endpoints.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(agentHttp, HttpMethod.Get, "v1/ipam")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(agentHttp, HttpMethod.Post, "v1/reconcile")).Status);

            // Its own instance: allowed (the control case).
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(agentHttp, HttpMethod.Get, $"v1/agents/{Master}")).Status);
        }

        // Expired, forged (another authority's key), for another audience, bound to a pod that was deleted: 401.
        await using var otherCluster = await KubeSimulator.StartAsync();
        var forged = otherCluster.Tokens.Issue("romana-aws", "romana-aws-agent", [SecureApiRig.Audience], TimeSpan.FromHours(1),
            new BoundPod("romana-aws-agent-master-a", "uid", "master-a", "uid"));
        var expired = rig.AgentToken("master-a", TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow.AddMinutes(-20));
        var wrongAudience = rig.AgentToken("master-a", audience: "https://kubernetes.default.svc");
        var deletedPod = rig.AgentToken("node-a1");
        rig.Kube.Store.Delete(KubeResource.Pods, "romana-aws", "romana-aws-agent-node-a1");
        foreach (var (token, why) in new[] { (expired, "service account token has expired"), (forged, "invalid bearer token"), (wrongAudience, "is invalid for the target audiences"), (deletedPod, "not found") })
        {
            using var http = rig.Client(token);
            var (status, error) = await SendAsync(http, HttpMethod.Post, $"v1/agents/{Master}/blocks", Claim);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{why}: {status} {error}");
            Assert.Contains(why, error, StringComparison.Ordinal);
        }

        // An operator reads, and may not claim a block for a node.
        using (var operatorHttp = rig.Client(rig.OperatorToken()))
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(operatorHttp, HttpMethod.Get, "v1/ipam")).Status);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(operatorHttp, HttpMethod.Get, "metrics")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(operatorHttp, HttpMethod.Post, $"v1/agents/{Master}/blocks", Claim)).Status);
        }

        // A user who is neither: 403.
        using (var stranger = rig.Client(rig.OperatorToken("mallory", "developers")))
        {
            var (status, error) = await SendAsync(stranger, HttpMethod.Get, "v1/routes");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("user mallory (groups developers, system:authenticated) is neither", error, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await rig.StateAsync()).Blocks.Count);
    }

    [Fact]
    public async Task Rbac_TheControllerCallsTokenReview_WhichTheKopsAddonGrants_AndAReviewIsReusedNotRepeated()
    {
        await using var rig = await SecureApiRig.StartAsync();
        var (http, _) = rig.Agent("master-a", rig.AgentToken("master-a"));
        using (http)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, $"v1/agents/{Master}")).Status);
            }
        }

        var reviews = rig.Kube.Requests.Where(r => r.Resource == "tokenreviews").ToList();
        Assert.All(reviews, r => Assert.Equal(("create", "authentication.k8s.io", 201), (r.Verb, r.Group, r.Status)));

        // One review for the operator token of the rig's start, one for the agent's five calls (api.tokenCacheSeconds).
        Assert.Equal(2, reviews.Count);
        Assert.Contains("authentication.k8s.io/tokenreviews:create", await RomanaAws.Tests.Shared.KopsRbac.GrantedAsync("romana-aws-controller"));
    }

    [Fact]
    public async Task Agent_WithAnExpiredTokenFile_SendsNothing_SaysWhy_AndRecoversWhenTheKubeletRewritesIt()
    {
        await using var rig = await SecureApiRig.StartAsync();
        var (http, tokenFile) = rig.Agent("master-a", rig.AgentToken("master-a", TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow.AddMinutes(-20)));
        using (http)
        {
            var blocks = new ControllerBlocksClient(http, rig.Url, Master);
            var refused = await Assert.ThrowsAsync<CredentialException>(() => blocks.ClaimAsync("default", CancellationToken.None));
            Assert.Contains($"token in {tokenFile} expired at", refused.Message, StringComparison.Ordinal);
            Assert.Contains("projected serviceAccountToken volume", refused.Message, StringComparison.Ordinal);
            Assert.Empty((await rig.StateAsync()).Blocks);

            // The kubelet writes a fresh token (atomically, as it does): the next call uses it, no restart.
            var fresh = tokenFile + ".new";
            await File.WriteAllTextAsync(fresh, rig.AgentToken("master-a"));
            File.Move(fresh, tokenFile, overwrite: true);
            await Task.Delay(TimeSpan.FromMilliseconds(1100), TimeProvider.System);
            var claim = await blocks.ClaimAsync("default", CancellationToken.None);
            Assert.Equal(Master, claim.InstanceId);
            Assert.Single((await rig.StateAsync()).Blocks);
        }
    }

    [Fact]
    public async Task ForgedCertificate_TheAgentRefusesTheServer_BeforeSendingItsToken()
    {
        await using var rig = await SecureApiRig.StartAsync();

        // The agent trusts another CA (a man in the middle's): the handshake fails, no request is made.
        var mallory = CertificateMaker.Authority("not the romana-aws CA", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(1));
        var malloryCa = Path.Combine(rig.Directory, "mallory-ca.crt");
        await File.WriteAllTextAsync(malloryCa, mallory.Certificate);
        var (http, _) = rig.Agent("master-a", rig.AgentToken("master-a"), malloryCa);
        using (http)
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsJsonAsync($"v1/agents/{Master}/blocks", Claim));
            Assert.IsType<AuthenticationException>(failure.InnerException);
        }

        // And the controller serving a certificate of another CA (a replica set up wrong, a forged server): the same.
        var forged = SecureApiRig.Serving(mallory);
        await File.WriteAllTextAsync(rig.KeyFile + ".new", forged.Key);
        await File.WriteAllTextAsync(rig.CertFile, forged.Certificate);
        File.Move(rig.KeyFile + ".new", rig.KeyFile, overwrite: true);
        await Task.Delay(TimeSpan.FromMilliseconds(1100), TimeProvider.System);
        var (honest, _) = rig.Agent("master-a-2", rig.AgentToken("master-a"));
        using (honest)
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => honest.PostAsJsonAsync($"v1/agents/{Master}/blocks", Claim));
            Assert.IsType<AuthenticationException>(failure.InnerException);
        }

        Assert.Empty((await rig.StateAsync()).Blocks);
    }

    [Fact]
    public async Task OversizedBody_ChunkedOrNot_Is413_AndNothingChanged()
    {
        await using var rig = await SecureApiRig.StartAsync("--api:maxBodyBytes=65536");
        var (http, _) = rig.Agent("master-a", rig.AgentToken("master-a"));
        using (http)
        {
            var big = "{\"blocks\": {" + string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"\"100.96.{i / 16}.{i % 16 * 16}/28\": 1")) + "}}";
            Assert.True(Encoding.UTF8.GetByteCount(big) > 65536);

            // The control case: a small body reaches the handler (an empty one is a plain bad request), a real report counts.
            Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(http, HttpMethod.Put, $"v1/agents/{Master}/usage", null)).Status);
            var blocks = new ControllerBlocksClient(http, rig.Url, Master);
            var claim = await blocks.ClaimAsync("default", CancellationToken.None);
            await blocks.ReportUsageAsync(new Dictionary<Core.Net.Cidr, int> { [claim.Cidr] = 2 }, CancellationToken.None);
            big = big.Replace("\"100.96.0.0/28\": 1", $"\"{claim.Cidr}\": 9", StringComparison.Ordinal);

            // With Content-Length: refused before the body is read. Chunked (no Content-Length): Kestrel's limit stops the
            // read, the guard answers 413.
            foreach (var chunked in new[] { false, true })
            {
                var (status, text) = await OversizedAsync(http, big, chunked);
                Assert.True(status == HttpStatusCode.RequestEntityTooLarge, $"chunked {chunked}: {status} {text}");
                Assert.Contains($"request body of {(chunked ? "a chunked body" : $"{Encoding.UTF8.GetByteCount(big)} bytes")} is over the limit of 65536 bytes (api.maxBodyBytes)", text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, Assert.Single((await rig.StateAsync()).Blocks).Used);
    }

    /// <summary>
    /// Sends <paramref name="body"/> until an answer comes back: the server answers 413 and closes the connection with
    /// the rest of the body unread, and on a busy machine the client's TCP stack may see the reset before the answer.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Text)> OversizedAsync(HttpClient http, string body, bool chunked)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpContent content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Put, $"v1/agents/{Master}/usage") { Content = content };
            request.Headers.TransferEncodingChunked = chunked;
            try
            {
                using var response = await http.SendAsync(request);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task Flood_OverTheRate_Is429_PerCaller_AndEveryClaimAnswered201IsTheOnlyChange()
    {
        await using var rig = await SecureApiRig.StartAsync("--api:mutationBurst=5", "--api:mutationsPerSecond=1");
        var (flooder, _) = rig.Agent("master-a", rig.AgentToken("master-a"));
        var (neighbour, _) = rig.Agent("node-a1", rig.AgentToken("node-a1"));
        using (flooder)
        using (neighbour)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var answers = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++)
            {
                answers.Add((await SendAsync(flooder, HttpMethod.Post, $"v1/agents/{Master}/blocks", Claim)).Status);
            }

            var elapsed = clock.Elapsed;
            var created = answers.Count(a => a == HttpStatusCode.Created);
            Assert.All(answers, a => Assert.True(a is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, $"{a}"));
            Assert.InRange(created, 5, 5 + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
            Assert.Equal(created, (await rig.StateAsync()).Blocks.Count(b => b.Host == Master));

            // The limit is per caller: the neighbour's claim passes while the flooder is limited.
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(neighbour, HttpMethod.Post, $"v1/agents/{NodeA1}/blocks", Claim)).Status);
            var (status, error) = await SendAsync(flooder, HttpMethod.Post, $"v1/agents/{Master}/blocks", Claim);
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Contains("over its rate of 1 mutating calls a second (burst 5", error, StringComparison.Ordinal);

            // Reads are not limited.
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(flooder, HttpMethod.Get, $"v1/agents/{Master}")).Status);
        }
    }

    [Fact]
    public async Task CertificateRotation_WhileAgentsClaim_LosesNoRequest_AndNewConnectionsGetTheNewCertificate()
    {
        // Agents call far faster than any real one here: the rate limit must not be what this test measures.
        await using var rig = await SecureApiRig.StartAsync("--api:mutationsPerSecond=100000", "--api:mutationBurst=100000");

        // Step 1 of a CA rotation: the bundle the agents trust holds the old and the new CA.
        var next = CertificateMaker.Authority("romana-aws test CA 2", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(30));
        await File.WriteAllTextAsync(rig.CaFile + ".new", rig.Ca.Certificate + "\n" + next.Certificate + "\n");
        File.Move(rig.CaFile + ".new", rig.CaFile, overwrite: true);
        var agents = SecureApiRig.Nodes.Select(n => (n.Instance, Client: rig.Agent(n.Node, rig.AgentToken(n.Node)).Http)).ToList();
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var calls = 0;
        var running = agents.Select(a => Task.Run(async () =>
        {
            var blocks = new ControllerBlocksClient(a.Client, rig.Url, a.Instance);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var claim = await blocks.ClaimAsync("default", CancellationToken.None);
                    await blocks.ReportUsageAsync(new Dictionary<Core.Net.Cidr, int> { [claim.Cidr] = 0 }, CancellationToken.None);
                    await blocks.ReleaseAsync(claim.Cidr, CancellationToken.None);
                    Interlocked.Add(ref calls, 3);
                }
                catch (Exception ex) when (ex is HttpRequestException or ControllerApiException)
                {
                    lock (failures)
                    {
                        failures.Add($"{a.Instance}: {ex.Message}");
                    }
                }

                // New connections too, not only the pooled ones: each agent reconnects now and then.
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        var before = Volatile.Read(ref calls);

        // Step 2: the serving certificate of the new CA replaces the old one, as the kubelet swaps a Secret's files.
        var serving = SecureApiRig.Serving(next);
        var staged = Directory.CreateDirectory(Path.Combine(rig.Directory, "staged")).FullName;
        await File.WriteAllTextAsync(Path.Combine(staged, "tls.crt"), serving.Certificate);
        await File.WriteAllTextAsync(Path.Combine(staged, "tls.key"), serving.Key);
        File.Move(Path.Combine(staged, "tls.key"), rig.KeyFile, overwrite: true);
        File.Move(Path.Combine(staged, "tls.crt"), rig.CertFile, overwrite: true);

        // New handshakes get the new certificate within the reload interval.
        await Eventually.UntilAsync(async () => (await IssuerAsync(rig)).Contains("CA 2", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the new certificate served");
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        await stop.CancelAsync();
        await Task.WhenAll(running);
        foreach (var (_, client) in agents)
        {
            client.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
        Assert.True(Volatile.Read(ref calls) > before + 30, $"agents kept calling through the rotation: {before} calls before, {calls} in all");
    }

    /// <summary>The issuer of the certificate a fresh TLS connection to the controller gets.</summary>
    private static async Task<string> IssuerAsync(SecureApiRig rig)
    {
        string issuer = string.Empty;
        var trust = new CaTrust(rig.CaFile, TimeProvider.System, SecureApiRig.ServiceName);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            issuer = certificate?.Issuer ?? string.Empty;
            return trust.Validate(certificate, errors);
        };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri(rig.Url, "healthz"));
        return issuer;
    }
}
