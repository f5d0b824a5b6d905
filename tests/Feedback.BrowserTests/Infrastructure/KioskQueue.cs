using Microsoft.Playwright;

namespace Feedback.BrowserTests.Infrastructure;

/// <summary>What the kiosk holds in its IndexedDB queue, read the way the page stores it (oldest first).</summary>
public static class KioskQueue
{
    private const string ReadIds = """
        () => new Promise((resolve, reject) => {
          const open = indexedDB.open("feedback-kiosk", 1);
          open.onupgradeneeded = () => open.result.createObjectStore("answers", { keyPath: "seq", autoIncrement: true }).createIndex("id", "id", { unique: true });
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("answers", "readonly").objectStore("answers").getAll();
            all.onsuccess = () => { open.result.close(); resolve(all.result.map(entry => entry.id)); };
            all.onerror = () => reject(all.error);
          };
        })
        """;

    public static async Task<string[]> IdsAsync(IPage page) => await page.EvaluateAsync<string[]>(ReadIds);
}
