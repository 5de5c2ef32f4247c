/** The knowledge base (intake `kb/articles`): one TanStack Query hook per call. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dataOf, intake } from '../../api/clients';
import type { components } from '../../api/intake';

export type Article = components['schemas']['ArticleView'];
export type ArticleBody = components['schemas']['CreateArticleDto'];

export function useArticles(q: string, includeExpired: boolean) {
  return useQuery({
    queryKey: ['intake', 'kb', q, includeExpired],
    queryFn: async () =>
      dataOf(
        await intake.GET('/kb/articles', { params: { query: { ...(q ? { q } : {}), includeExpired: includeExpired ? 'true' : 'false' } } }),
      ),
    placeholderData: (previous) => previous,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['intake', 'kb'] });
}

export function useCreateArticle() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: ArticleBody) => dataOf(await intake.POST('/kb/articles', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateArticle() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: Partial<ArticleBody> }) =>
      dataOf(await intake.PATCH('/kb/articles/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}
