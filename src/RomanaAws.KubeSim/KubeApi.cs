using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RomanaAws.Core.Labels;

namespace RomanaAws.KubeSim;

/// <summary>A request the stand-in served, as RBAC sees it: verb, API group, resource (with subresource) and namespace.</summary>
public sealed record KubeRequestRecord(string Verb, string Group, string Resource, string? Namespace, int Status);

/// <summary>
/// The HTTP face of <see cref="KubeStore"/>: discovery, OpenAPI (an empty document, so kubectl skips validation),
/// list (limit/continue, label and field selectors), watch (one JSON event per line, bookmarks when asked, ERROR 410
/// for a too-old resourceVersion, timeoutSeconds), create, get, update, patch (merge and strategic), delete, and the
/// status subresources. Errors are Status objects with the real server's codes and messages.
/// </summary>
internal sealed class KubeApi(KubeStore store, KubeSimulatorOptions options, Func<CancellationToken> dropToken, ServiceAccountTokens tokens)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly List<KubeRequestRecord> _requests = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<KubeRequestRecord> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        KubePath? target = null;
        var watch = false;
        try
        {
            if (Discover(path, request.Host.ToString()) is { } document)
            {
                await WriteAsync(context, 200, document);
                return;
            }

            if (path.TrimEnd('/') == "/openapi/v2")
            {
                context.Response.ContentType = "application/octet-stream";
                return;
            }

            target = KubePath.Parse(path) ?? throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
            watch = request.Query["watch"] is var w && (w == "true" || w == "1");
            if (watch)
            {
                // A watch is answered 200 from its first byte (even a 410 comes as an ERROR event in a 200 stream), and
                // lasts: it is recorded as served when it starts.
                Record(target, request.Method, watch, 200);
            }

            await ServeAsync(context, target, watch);
        }
        catch (KubeApiException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ex.Code, ex.ToStatus());
        }
        catch (JsonException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, 400, KubeApiException.Status(400, "BadRequest", $"the body of the request could not be decoded: {ex.Message}"));
        }
        catch (LabelSelectorException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, 400, KubeApiException.Status(400, "BadRequest", $"unable to parse requirement: {ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException && !context.Response.HasStarted)
        {
            await WriteAsync(context, 500, KubeApiException.Status(500, "InternalError", $"the stand-in failed: {ex.GetType().Name}: {ex.Message}"));
        }

        if (target is not null && !watch)
        {
            Record(target, request.Method, watch, context.Response.StatusCode);
        }
    }

    private void Record(KubePath target, string method, bool watch, int status)
    {
        var resource = target.Subresource is null ? target.Resource.Plural : $"{target.Resource.Plural}/{target.Subresource}";
        lock (_lock)
        {
            _requests.Add(new KubeRequestRecord(target.Verb(method, watch), target.Resource.Group, resource, target.Namespace, status));
        }
    }

    private static JsonObject? Discover(string path, string host) => path.TrimEnd('/') switch
    {
        "/api" => Discovery.ApiVersions(host),
        "/apis" => Discovery.GroupList(),
        "/api/v1" => Discovery.ResourceList("v1"),
        "/version" => new JsonObject { ["major"] = "1", ["minor"] = "30", ["gitVersion"] = "v1.30.0-romana-kubesim", ["platform"] = "linux/amd64" },
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Split('/') is [_, _, var group] && Discovery.Groups().Contains(group) => Discovery.Group(group),
        var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Split('/') is [_, _, var group, var version] && KubeResource.All.Any(r => r.GroupVersion == $"{group}/{version}") => Discovery.ResourceList($"{group}/{version}"),
        _ => null,
    };

    private async Task ServeAsync(HttpContext context, KubePath target, bool watch)
    {
        var request = context.Request;
        if (target.Resource == KubeResource.TokenReviews)
        {
            await WriteAsync(context, 201, request.Method == "POST" && target.IsCollection && target.Subresource is null
                ? Review(await BodyAsync(request))
                : throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({request.Method})"));
            return;
        }

        var query = request.Query;
        var status = target.Subresource switch
        {
            null => false,
            "status" when target.Resource.HasStatus => true,
            _ => throw new KubeApiException(404, "NotFound", $"the server could not find the requested resource ({target.Subresource})"),
        };
        switch (request.Method)
        {
            case "GET" when target.IsCollection && watch:
                await WatchAsync(context, target);
                break;
            case "GET" when target.IsCollection:
                await WriteAsync(context, 200, List(target, query));
                break;
            case "GET":
                await WriteAsync(context, 200, store.Get(target.Resource, target.Namespace, target.Name!));
                break;
            case "POST" when target.IsCollection:
                await WriteAsync(context, 201, store.Create(target.Resource, target.Namespace, await BodyAsync(request)));
                break;
            case "PUT" when !target.IsCollection:
                await WriteAsync(context, 200, store.Update(target.Resource, target.Namespace, target.Name!, await BodyAsync(request), status));
                break;
            case "PATCH" when !target.IsCollection:
                var type = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
                await WriteAsync(context, 200, store.Patch(target.Resource, target.Namespace, target.Name!, type, await BodyAsync(request), status));
                break;
            case "DELETE" when !target.IsCollection:
                var deleted = store.Delete(target.Resource, target.Namespace, target.Name!);
                await WriteAsync(context, 200, target.Resource == KubeResource.Pods || target.Resource == KubeResource.Namespaces ? deleted : Deleted(target, deleted));
                break;
            default:
                throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({request.Method})");
        }
    }

    /// <summary>A TokenReview's answer: the object as sent, with the status the token authority gives it.</summary>
    private JsonObject Review(JsonObject review)
    {
        var token = KubeObject.Text(review, "spec", "token") ?? throw KubeApiException.BadRequest("TokenReview.authentication.k8s.io \"\" is invalid: spec.token: Required value");
        var audiences = review["spec"]?["audiences"] is JsonArray list ? list.Select(a => a?.GetValue<string>() ?? string.Empty).ToList() : [];
        review["apiVersion"] = "authentication.k8s.io/v1";
        review["kind"] = "TokenReview";
        review["metadata"] ??= new JsonObject();
        review["status"] = tokens.Review(token, audiences);
        return review;
    }

    private JsonObject List(KubePath target, IQueryCollection query)
    {
        var labels = LabelSelectorParser.Parse(query["labelSelector"].ToString());
        var fields = FieldSelector.Parse(query["fieldSelector"].ToString(), target.Resource);
        int? limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : null;
        string? after = null;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            after = parts[1];
        }

        var (items, revision, last) = store.List(target.Resource, target.Namespace, labels, fields, limit, after);
        var metadata = new JsonObject { ["resourceVersion"] = KubeStore.Version(revision) };
        if (last is not null)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{revision}|{last}"));
        }

        return new JsonObject
        {
            ["kind"] = $"{target.Resource.Kind}List",
            ["apiVersion"] = target.Resource.GroupVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items]),
        };
    }

    private async Task WatchAsync(HttpContext context, KubePath target)
    {
        var query = context.Request.Query;
        var labels = LabelSelectorParser.Parse(query["labelSelector"].ToString());
        var fields = FieldSelector.Parse(query["fieldSelector"].ToString(), target.Resource);
        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : null;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        TimeSpan? timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        KubeWatch watch;
        try
        {
            watch = store.Watch(target.Resource, target.Namespace, labels, fields, from);
        }
        catch (KubeApiException ex) when (ex.Code == 410)
        {
            await LineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = ex.ToStatus() });
            return;
        }

        using (watch)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, dropToken());
            if (timeout is { } t)
            {
                stop.CancelAfter(t);
            }

            try
            {
                while (!stop.IsCancellationRequested)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    if (bookmarks)
                    {
                        tick.CancelAfter(options.BookmarkInterval);
                    }

                    KubeWatchEvent? next = null;
                    try
                    {
                        next = await watch.Reader.ReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                    }

                    var line = next is not null
                        ? new JsonObject { ["type"] = next.Type, ["object"] = next.Item }
                        : new JsonObject { ["type"] = "BOOKMARK", ["object"] = new JsonObject { ["kind"] = target.Resource.Kind, ["apiVersion"] = target.Resource.GroupVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = KubeStore.Version(store.Revision) } } };
                    await LineAsync(context, line);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task LineAsync(HttpContext context, JsonObject line)
    {
        await context.Response.WriteAsync(line.ToJsonString(Compact) + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static JsonObject Deleted(KubePath target, JsonObject deleted) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = target.Name, ["group"] = target.Resource.Group, ["kind"] = target.Resource.Plural, ["uid"] = KubeObject.Text(deleted, "metadata", "uid") },
    };

    private static async Task<JsonObject> BodyAsync(HttpRequest request) =>
        await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject ?? throw KubeApiException.BadRequest("the body must be a JSON object");

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Compact), context.RequestAborted);
    }
}
