// The posts a page offers in its post filter, read once when the page mounts. If that read
// fails the filter stays empty; the page's own data still loads.
import { onMounted, shallowRef, type ShallowRef } from "vue";
import { countyApi } from "../api/routes";
import type { PostListItem } from "../api/types";

export function usePostList(): ShallowRef<PostListItem[]> {
  const posts = shallowRef<PostListItem[]>([]);
  onMounted(async () => {
    try {
      posts.value = await countyApi.posts();
    } catch {
      // The post filter stays empty.
    }
  });
  return posts;
}
