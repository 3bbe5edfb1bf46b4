using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Replication;

/// <summary>
/// On a standby, the agents' writes (block claims, give-backs, usage reports: every non-GET under <c>/v1/agents/</c>)
/// are forwarded to the leader and its answer passed back, so agents behind one Service keep working through a leader
/// change. While no leader is known the answer is 503 with Retry-After, which the agent retries. Reads are served here.
/// </summary>
public static class LeaderForwarding
{
    public static void Use(WebApplication app, IReplica replica, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(http);
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments("/v1/agents", StringComparison.Ordinal) || replica.Role == LeaderRole.Leader)
            {
                await next(context);
                return;
            }

            if (replica.LeaderUrl is not { } leader)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsJsonAsync(new Core.Agents.AgentApiError("this controller replica is a standby and no leader is known yet (election under way); retry"));
                return;
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted); // within Kestrel's MaxRequestBodySize (api.maxBodyBytes), or ApiGuard answers 413

            using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(leader, request.Path.ToUriComponent().TrimStart('/') + request.QueryString.ToUriComponent()))
            {
                Content = new ByteArrayContent(body.ToArray()),
            };
            if (request.Headers.Authorization.ToString() is { Length: > 0 } credential)
            {
                // The leader authenticates and rate-limits the agent itself (by its token, not by this standby's address).
                forward.Headers.TryAddWithoutValidation("Authorization", credential);
            }

            if (request.ContentType is { } type)
            {
                forward.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            }

            try
            {
                using var answer = await http.SendAsync(forward, context.RequestAborted);
                context.Response.StatusCode = (int)answer.StatusCode;
                context.Response.Headers["X-Romana-Forwarded-To"] = replica.LeaderId ?? leader.ToString();
                if (answer.Content.Headers.ContentType is { } answerType)
                {
                    context.Response.ContentType = answerType.ToString();
                }

                await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (HttpRequestException ex)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsJsonAsync(new Core.Agents.AgentApiError($"this replica is a standby and the leader ({leader}) did not answer: {ex.Message}; retry"));
            }
        });
    }
}
